//! Answer composition and rendering: from a matching decision to the [`Reply`] a user reads.
//!
//! A reply is structured data (answer, disagreements, sources with quotes, suggestions); it is
//! turned into text by [`render`] through a [`Markup`], so that the console (plain text) and
//! Telegram (escaped HTML) show the same thing without a second copy of the layout. Citations
//! always come from the claims' sources, never from hand-typed text.
//!
//! Pure: knows the pack's types, not files, not Telegram, not the index.

use serde::Serialize;

use crate::cards;
use crate::index::Target;
use crate::knowledge::{Article, ArticleIndex, ClaimIndex, Pack};
use crate::text::{Lang, guess_language};

/// What the engine decided; `compose` turns it into a reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Answered {
        target: Target,
        score: f64,
    },
    Clarify {
        score: f64,
        suggestions: Vec<Target>,
    },
    NoAnswer {
        score: f64,
        suggestions: Vec<Target>,
    },
    Smalltalk {
        target: Target,
        score: f64,
    },
    /// The question asks what the articles do not say, as a `[[gap]]` of the pack describes:
    /// `no_answer`, with the gap's text, then what its first related entry says (cited), and
    /// its other related entries as suggestions.
    Gap {
        target: Target,
        score: f64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Answered,
    Clarify,
    NoAnswer,
    Smalltalk,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Answered => "answered",
            Status::Clarify => "clarify",
            Status::NoAnswer => "no_answer",
            Status::Smalltalk => "smalltalk",
        }
    }
}

/// One cited article, with the quotes that support the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRef {
    pub article_id: String,
    pub outlet: Option<String>,
    pub authors: Vec<String>,
    pub title: Option<String>,
    /// "2026-01-29", "2024-12", or words saying the article is undated and what is known.
    pub published: String,
    /// "29 janvier 2026", "non daté (…)".
    pub date_in_words: String,
    /// "29 janvier 2026", "non daté": for short mentions.
    pub date_in_short_words: String,
    pub quotes: Vec<String>,
}

/// One side of a disagreement: a statement and who says it.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    pub statement: String,
    pub sources: Vec<SourceRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DisagreementView {
    pub summary: String,
    pub sides: Vec<Side>,
}

/// A suggestion: an id the engine can answer directly, and the question to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub id: String,
    pub text: String,
}

/// Everything a user is shown in answer to one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub question: String,
    pub lang: Lang,
    pub status: Status,
    /// The entry, claim or small-talk id answered, if any.
    pub target_id: Option<String>,
    pub score: f64,
    pub body: String,
    pub disagreements: Vec<DisagreementView>,
    /// The articles the answer rests on (disagreement sides included), one per article.
    pub sources: Vec<SourceRef>,
    /// For small talk about sources: every article of the pack.
    pub listed_articles: Vec<SourceRef>,
    pub suggestions: Vec<Suggestion>,
}

impl Reply {
    /// Whether every source carries a publication statement (a date or an undated note).
    pub fn all_sources_dated(&self) -> bool {
        self.sources
            .iter()
            .all(|source| !source.published.trim().is_empty())
    }

    /// Every quote of the reply, with its source.
    pub fn quotes(&self) -> impl Iterator<Item = (&SourceRef, &str)> {
        self.sources.iter().flat_map(|source| {
            source
                .quotes
                .iter()
                .map(move |quote| (source, quote.as_str()))
        })
    }
}

/// The first phrasing that reads as `lang`, else the first one.
pub fn phrasing_in(questions: &[String], lang: Lang) -> String {
    questions
        .iter()
        .find(|question| guess_language(question) == lang && question.chars().count() > 8)
        .or_else(|| questions.first())
        .cloned()
        .unwrap_or_default()
}

pub fn compose(pack: &Pack, question: &str, lang: Lang, decision: Decision) -> Reply {
    let mut reply = Reply {
        question: question.to_string(),
        lang,
        status: Status::NoAnswer,
        target_id: None,
        score: 0.0,
        body: String::new(),
        disagreements: Vec::new(),
        sources: Vec::new(),
        listed_articles: Vec::new(),
        suggestions: Vec::new(),
    };
    match decision {
        Decision::Answered { target, score } => {
            reply.status = Status::Answered;
            reply.score = score;
            let claims: Vec<ClaimIndex> = match target {
                Target::Entry(position) => {
                    let entry = &pack.entries[position];
                    reply.target_id = Some(entry.id.clone());
                    reply.body = entry.answer(lang).to_string();
                    entry.claims.clone()
                }
                Target::Claim(position) => {
                    let claim = &pack.claims[position];
                    reply.target_id = Some(claim.id.clone());
                    reply.body = claim.statement(lang).to_string();
                    vec![ClaimIndex(position)]
                }
                Target::Article(position) => {
                    let article = pack.article(ArticleIndex(position));
                    reply.target_id = Some(article.id.clone());
                    reply.body = cards::answer(article, lang);
                    reply.sources = vec![source_ref(article, lang, &cards::quotes(article))];
                    return reply;
                }
                // The engine never answers these (they have their own decisions).
                Target::Smalltalk(_) | Target::Gap(_) => Vec::new(),
            };
            cite_claims(pack, &claims, lang, &mut reply);
        }
        Decision::Smalltalk { target, score } => {
            reply.status = Status::Smalltalk;
            reply.score = score;
            if let Target::Smalltalk(position) = target {
                let talk = &pack.smalltalk[position];
                reply.target_id = Some(talk.id.clone());
                reply.body = talk.answer(lang).to_string();
                if talk.list_sources {
                    reply.listed_articles = (0..pack.articles.len())
                        .map(|index| source_ref(pack.article(ArticleIndex(index)), lang, &[]))
                        .collect();
                }
            }
        }
        Decision::Gap { target, score } => {
            reply.status = Status::NoAnswer;
            reply.score = score;
            if let Target::Gap(position) = target {
                let gap = &pack.gaps[position];
                reply.target_id = Some(gap.id.clone());
                reply.body = gap.answer(lang).to_string();
                // What the articles do say nearby: the first related entry, cited as an
                // answer is; the others are offered as suggestions.
                if let Some((&first, others)) = gap.related.split_first() {
                    let entry = &pack.entries[first];
                    let lead = match lang {
                        Lang::Fr => "Ce que disent les articles à ce sujet :",
                        Lang::En => "What the articles do say on this:",
                    };
                    reply.body = format!("{}\n\n{lead} {}", reply.body, entry.answer(lang));
                    cite_claims(pack, &entry.claims, lang, &mut reply);
                    let others: Vec<Target> =
                        others.iter().map(|&entry| Target::Entry(entry)).collect();
                    reply.suggestions = suggestion_list(pack, &others, lang);
                }
            }
        }
        Decision::Clarify { score, suggestions } => {
            reply.status = Status::Clarify;
            reply.score = score;
            reply.suggestions = suggestion_list(pack, &suggestions, lang);
            reply.body = match lang {
                Lang::Fr => {
                    "Votre question peut viser plusieurs réponses. Laquelle cherchez-vous ?"
                }
                Lang::En => "Your question could mean several things. Which one are you after?",
            }
            .to_string();
        }
        Decision::NoAnswer { score, suggestions } => {
            reply.status = Status::NoAnswer;
            reply.score = score;
            reply.suggestions = suggestion_list(pack, &suggestions, lang);
            let count = pack.articles.len();
            reply.body = match lang {
                Lang::Fr => format!(
                    "Mes sources ne le disent pas. Je réponds uniquement d’après {count} articles de presse sur la coopération militaire entre le Mali et la Turquie et le salon BAMEX 2025 de Bamako, et je n’y trouve pas la réponse à cette question."
                ),
                Lang::En => format!(
                    "My sources don't say. I only answer from {count} news articles on Mali–Turkey military cooperation and the BAMEX 2025 fair in Bamako, and they don't answer this question."
                ),
            };
        }
    }
    reply
}

/// The sources (and disagreements) of the claims an answer rests on, into the reply.
fn cite_claims(pack: &Pack, claims: &[ClaimIndex], lang: Lang, reply: &mut Reply) {
    let mut cited: Vec<(ArticleIndex, String)> = Vec::new();
    for &claim in claims {
        cite_claim(pack, claim, &mut cited);
    }
    reply.disagreements = disagreements_of(pack, claims, lang, &mut cited);
    reply.sources = group_by_article(pack, &cited, lang);
}

fn cite_claim(pack: &Pack, claim: ClaimIndex, cited: &mut Vec<(ArticleIndex, String)>) {
    for source in &pack.claim(claim).sources {
        let pair = (source.article, source.quote.clone());
        if !cited.contains(&pair) {
            cited.push(pair);
        }
    }
}

fn disagreements_of(
    pack: &Pack,
    claims: &[ClaimIndex],
    lang: Lang,
    cited: &mut Vec<(ArticleIndex, String)>,
) -> Vec<DisagreementView> {
    let mut seen: Vec<&str> = Vec::new();
    let mut views = Vec::new();
    for &claim in claims {
        for disagreement in pack.disagreements_of(claim) {
            if seen.contains(&disagreement.id.as_str()) {
                continue;
            }
            seen.push(&disagreement.id);
            let sides = disagreement
                .sides
                .iter()
                .map(|&side| {
                    let mut side_cited = Vec::new();
                    cite_claim(pack, side, &mut side_cited);
                    cite_claim(pack, side, cited);
                    Side {
                        statement: pack.claim(side).statement(lang).to_string(),
                        sources: group_by_article(pack, &side_cited, lang),
                    }
                })
                .collect();
            views.push(DisagreementView {
                summary: disagreement.summary(lang).to_string(),
                sides,
            });
        }
    }
    views
}

fn group_by_article(pack: &Pack, cited: &[(ArticleIndex, String)], lang: Lang) -> Vec<SourceRef> {
    let mut order: Vec<ArticleIndex> = Vec::new();
    for (article, _) in cited {
        if !order.contains(article) {
            order.push(*article);
        }
    }
    order
        .into_iter()
        .map(|article| {
            let quotes: Vec<String> = cited
                .iter()
                .filter(|(quoted, _)| *quoted == article)
                .map(|(_, quote)| quote.clone())
                .collect();
            source_ref(pack.article(article), lang, &quotes)
        })
        .collect()
}

/// The citation of one article, with the quotes given.
pub fn source_ref(article: &Article, lang: Lang, quotes: &[String]) -> SourceRef {
    SourceRef {
        article_id: article.id.clone(),
        outlet: article.outlet.clone(),
        authors: article.authors.clone(),
        title: article.title.clone(),
        published: article.published.machine_form(lang),
        date_in_words: article.published.in_words(lang),
        date_in_short_words: article.published.in_short_words(lang),
        quotes: quotes.to_vec(),
    }
}

fn suggestion_list(pack: &Pack, targets: &[Target], lang: Lang) -> Vec<Suggestion> {
    targets
        .iter()
        .map(|target| match *target {
            Target::Entry(position) => {
                let entry = &pack.entries[position];
                Suggestion {
                    id: entry.id.clone(),
                    text: phrasing_in(&entry.questions, lang),
                }
            }
            Target::Claim(position) => {
                let claim = &pack.claims[position];
                Suggestion {
                    id: claim.id.clone(),
                    text: claim.statement(lang).to_string(),
                }
            }
            Target::Smalltalk(position) => {
                let talk = &pack.smalltalk[position];
                Suggestion {
                    id: talk.id.clone(),
                    text: phrasing_in(&talk.questions, lang),
                }
            }
            Target::Gap(position) => {
                let gap = &pack.gaps[position];
                Suggestion {
                    id: gap.id.clone(),
                    text: phrasing_in(&gap.questions, lang),
                }
            }
            Target::Article(position) => {
                let article = pack.article(ArticleIndex(position));
                Suggestion {
                    id: article.id.clone(),
                    text: phrasing_in(&cards::phrasings(article), lang),
                }
            }
        })
        .collect()
}

/// How text is marked up: plain for a terminal, escaped HTML for Telegram.
pub trait Markup {
    /// Makes user or pack text safe to embed.
    fn escape(&self, text: &str) -> String;
    /// Emphasis around already escaped text.
    fn bold(&self, escaped: &str) -> String;
    fn italic(&self, escaped: &str) -> String;
}

/// No markup at all: what `citebot ask` prints.
pub struct PlainText;

impl Markup for PlainText {
    fn escape(&self, text: &str) -> String {
        text.to_string()
    }
    fn bold(&self, escaped: &str) -> String {
        escaped.to_string()
    }
    fn italic(&self, escaped: &str) -> String {
        escaped.to_string()
    }
}

/// "Le Monde, Benjamin Roger, 29 janvier 2026 — « La Turquie, alliée… »"
pub fn citation_line(source: &SourceRef, lang: Lang, markup: &dyn Markup) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.push(
        markup.escape(source.outlet.as_deref().unwrap_or(match lang {
            Lang::Fr => "Média non nommé",
            Lang::En => "Outlet not named",
        })),
    );
    if !source.authors.is_empty() {
        parts.push(markup.escape(&source.authors.join(", ")));
    }
    parts.push(markup.escape(&source.date_in_words));
    let mut line = parts.join(", ");
    if let Some(title) = &source.title {
        let (open, close) = match lang {
            Lang::Fr => ("« ", " »"),
            Lang::En => ("“", "”"),
        };
        line.push_str(" — ");
        line.push_str(&markup.italic(&markup.escape(&format!("{open}{title}{close}"))));
    }
    line
}

/// "Le Monde, 29 janvier 2026": outlet and date, for the sides of a disagreement.
pub fn short_citation(source: &SourceRef, lang: Lang, markup: &dyn Markup) -> String {
    let outlet = source.outlet.as_deref().unwrap_or(match lang {
        Lang::Fr => "Média non nommé",
        Lang::En => "Outlet not named",
    });
    markup.escape(&format!("{outlet}, {}", source.date_in_short_words))
}

/// The reply as paragraphs (never split inside one when a message must be cut).
pub fn render(reply: &Reply, markup: &dyn Markup) -> Vec<String> {
    let lang = reply.lang;
    let mut paragraphs = vec![markup.escape(&reply.body)];
    for disagreement in &reply.disagreements {
        let heading = match lang {
            Lang::Fr => "⚠️ Les sources divergent",
            Lang::En => "⚠️ Sources disagree",
        };
        let mut lines = vec![format!(
            "{} — {}",
            markup.bold(&markup.escape(heading)),
            markup.escape(&disagreement.summary)
        )];
        for side in &disagreement.sides {
            let cites: Vec<String> = side
                .sources
                .iter()
                .map(|source| short_citation(source, lang, markup))
                .collect();
            lines.push(format!(
                "• {} ({})",
                markup.escape(&side.statement),
                cites.join(" ; ")
            ));
        }
        paragraphs.push(lines.join("\n"));
    }
    if !reply.sources.is_empty() {
        let count = reply.sources.len();
        let header = match (lang, count) {
            (Lang::Fr, 1) => "Source :".to_string(),
            (Lang::Fr, _) => format!("Sources (rapporté par {count} articles) :"),
            (Lang::En, 1) => "Source:".to_string(),
            (Lang::En, _) => format!("Sources (reported by {count} articles):"),
        };
        let mut lines = vec![markup.bold(&markup.escape(&header))];
        for source in &reply.sources {
            lines.push(format!("• {}", citation_line(source, lang, markup)));
        }
        paragraphs.push(lines.join("\n"));
    }
    if !reply.listed_articles.is_empty() {
        let lines: Vec<String> = reply
            .listed_articles
            .iter()
            .map(|source| format!("• {}", citation_line(source, lang, markup)))
            .collect();
        paragraphs.push(lines.join("\n"));
    }
    if !reply.suggestions.is_empty() {
        let header = match (reply.status, lang) {
            (Status::NoAnswer, Lang::Fr) => "Questions proches auxquelles je sais répondre :",
            (Status::NoAnswer, Lang::En) => "Related questions I can answer:",
            (_, Lang::Fr) => "Suggestions :",
            (_, Lang::En) => "Suggestions:",
        };
        let mut lines = vec![markup.escape(header)];
        for (number, suggestion) in reply.suggestions.iter().enumerate() {
            lines.push(format!(
                "{}. {}",
                number + 1,
                markup.escape(&suggestion.text)
            ));
        }
        paragraphs.push(lines.join("\n"));
    }
    paragraphs
}

/// The reply as plain text, paragraphs separated by a blank line.
pub fn plain_text(reply: &Reply) -> String {
    render(reply, &PlainText).join("\n\n")
}

/// The JSON object of `citebot ask --json` (one line per question; a stable interface).
#[derive(Debug, Serialize)]
pub struct JsonReply<'a> {
    pub question: &'a str,
    pub status: &'static str,
    pub answer: String,
    pub entry: Option<&'a str>,
    pub score: f64,
    pub citations: Vec<JsonCitation<'a>>,
    pub suggestions: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct JsonCitation<'a> {
    pub article: &'a str,
    pub outlet: Option<&'a str>,
    pub author: Option<String>,
    pub title: Option<&'a str>,
    pub published: &'a str,
    pub quote: &'a str,
}

impl<'a> JsonReply<'a> {
    pub fn new(reply: &'a Reply) -> JsonReply<'a> {
        JsonReply {
            question: &reply.question,
            status: reply.status.as_str(),
            answer: plain_text(reply),
            entry: reply.target_id.as_deref(),
            score: (reply.score * 1000.0).round() / 1000.0,
            citations: reply
                .quotes()
                .map(|(source, quote)| JsonCitation {
                    article: &source.article_id,
                    outlet: source.outlet.as_deref(),
                    author: (!source.authors.is_empty()).then(|| source.authors.join(", ")),
                    title: source.title.as_deref(),
                    published: &source.published,
                    quote,
                })
                .collect(),
            suggestions: reply
                .suggestions
                .iter()
                .map(|suggestion| suggestion.text.as_str())
                .collect(),
        }
    }
}

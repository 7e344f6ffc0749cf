//! Parsing and validating pack files into a [`Pack`].
//!
//! Input is file names with their contents (no I/O here). Every table is deserialized on its
//! own, so that a problem (an unknown field, a missing one) is reported with the file and the
//! id of the table it is in. All problems are collected, not just the first.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use super::{
    Article, ArticleIndex, Claim, ClaimIndex, ClaimSource, Disagreement, Entry, Gap, Pack,
    PackError, PackProblem, PublicationDate, Smalltalk, SynonymGroup,
};
use crate::text::{Lang, fold, tokenize};

/// Which schema a pack file follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// `articles/*.toml`: one article.
    Article,
    /// Any other `.toml`: `[[claim]]`, `[[entry]]`, `[[disagreement]]`, `[[smalltalk]]`,
    /// `[[synonym]]` tables.
    Tables,
}

/// One pack file: its name as shown in messages, and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub kind: SourceKind,
    pub contents: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArticle {
    id: String,
    outlet: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    title: Option<String>,
    language: String,
    published: String,
    date_note_fr: Option<String>,
    date_note_en: Option<String>,
    #[allow(dead_code)]
    seed_file: Option<String>,
    #[serde(default)]
    known_as: Vec<String>,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    id: String,
    fr: String,
    en: String,
    #[serde(default)]
    source: Vec<RawClaimSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaimSource {
    article: String,
    quote: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: String,
    questions: Vec<String>,
    answer_fr: String,
    answer_en: String,
    #[serde(default)]
    claims: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSmalltalk {
    id: String,
    questions: Vec<String>,
    answer_fr: String,
    answer_en: String,
    #[serde(default)]
    list_sources: bool,
    #[serde(default)]
    when_nothing_to_match: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGap {
    id: String,
    questions: Vec<String>,
    answer_fr: String,
    answer_en: String,
    #[serde(default)]
    related: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDisagreement {
    id: String,
    fr: String,
    en: String,
    claims: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSynonym {
    canonical: String,
    variants: Vec<String>,
    #[serde(default)]
    must_match: bool,
}

/// Raw tables gathered from every file, each with the file it came from.
#[derive(Default)]
struct RawPack {
    articles: Vec<(String, RawArticle)>,
    claims: Vec<(String, RawClaim)>,
    entries: Vec<(String, RawEntry)>,
    smalltalk: Vec<(String, RawSmalltalk)>,
    gaps: Vec<(String, RawGap)>,
    disagreements: Vec<(String, RawDisagreement)>,
    synonyms: Vec<(String, RawSynonym)>,
}

/// Problems found so far, and the ids of tables that were refused (references to those are
/// not reported again as unknown: one mistake, one message).
struct Problems {
    found: Vec<PackProblem>,
    refused_ids: HashSet<String>,
}

impl Problems {
    fn add(&mut self, file: &str, id: Option<&str>, problem: impl Into<String>) {
        self.found.push(PackProblem {
            file: file.to_string(),
            id: id.map(str::to_string),
            problem: problem.into(),
        });
    }
}

impl Pack {
    /// Parses and validates a whole pack. Returns every problem found, or the pack.
    pub fn from_sources(files: &[SourceFile]) -> Result<Pack, PackError> {
        let mut problems = Problems {
            found: Vec::new(),
            refused_ids: HashSet::new(),
        };
        let mut raw = RawPack::default();
        for file in files {
            read_file(file, &mut raw, &mut problems);
        }
        let pack = validate(raw, &mut problems);
        if problems.found.is_empty() {
            Ok(pack)
        } else {
            Err(PackError {
                problems: problems.found,
            })
        }
    }
}

fn read_file(file: &SourceFile, raw: &mut RawPack, problems: &mut Problems) {
    let table: toml::Table = match toml::from_str(&file.contents) {
        Ok(table) => table,
        Err(error) => {
            problems.add(
                &file.name,
                None,
                format!("not valid TOML: {}", one_line(&error)),
            );
            return;
        }
    };
    match file.kind {
        SourceKind::Article => {
            if let Some(article) = deserialize_table(&file.name, "article", table, problems) {
                raw.articles.push((file.name.clone(), article));
            }
        }
        SourceKind::Tables => read_tables(file, table, raw, problems),
    }
}

fn read_tables(file: &SourceFile, table: toml::Table, raw: &mut RawPack, problems: &mut Problems) {
    for (key, value) in table {
        let toml::Value::Array(items) = value else {
            problems.add(
                &file.name,
                None,
                format!("`{key}` must be written as `[[{key}]]` tables"),
            );
            continue;
        };
        for item in items {
            let toml::Value::Table(item) = item else {
                problems.add(&file.name, None, format!("`{key}` must hold tables"));
                continue;
            };
            let name = file.name.clone();
            match key.as_str() {
                "claim" => push(&mut raw.claims, &name, &key, item, problems),
                "entry" => push(&mut raw.entries, &name, &key, item, problems),
                "smalltalk" => push(&mut raw.smalltalk, &name, &key, item, problems),
                "gap" => push(&mut raw.gaps, &name, &key, item, problems),
                "disagreement" => push(&mut raw.disagreements, &name, &key, item, problems),
                "synonym" => push(&mut raw.synonyms, &name, &key, item, problems),
                other => {
                    problems.add(
                        &file.name,
                        None,
                        format!(
                            "unknown table `[[{other}]]` (expected claim, entry, gap, disagreement, smalltalk or synonym)"
                        ),
                    );
                    break;
                }
            }
        }
    }
}

fn push<T: for<'de> Deserialize<'de>>(
    list: &mut Vec<(String, T)>,
    file: &str,
    kind: &str,
    table: toml::Table,
    problems: &mut Problems,
) {
    if let Some(value) = deserialize_table(file, kind, table, problems) {
        list.push((file.to_string(), value));
    }
}

fn deserialize_table<T: for<'de> Deserialize<'de>>(
    file: &str,
    kind: &str,
    table: toml::Table,
    problems: &mut Problems,
) -> Option<T> {
    let label = table
        .get("id")
        .or_else(|| table.get("canonical"))
        .and_then(|value| value.as_str())
        .map(str::to_string)
        .unwrap_or_else(|| format!("({kind} without id)"));
    match T::deserialize(toml::Value::Table(table)) {
        Ok(value) => Some(value),
        Err(error) => {
            problems.refused_ids.insert(label.clone());
            let mut message = one_line(&error);
            if message.contains("missing field `published`") {
                message = "article without date metadata: add `published = \"YYYY-MM-DD\"`, \"YYYY-MM\" or \"undated\"".into();
            }
            problems.add(file, Some(&label), message);
            None
        }
    }
}

fn one_line(error: &dyn std::fmt::Display) -> String {
    error
        .to_string()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Folds runs of white space to one space, as the quote check requires.
pub(crate) fn fold_white_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Ids travel in Telegram button data (64 bytes at most, with a short prefix).
const MAX_ID_LENGTH: usize = 56;

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LENGTH
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn validate(raw: RawPack, problems: &mut Problems) -> Pack {
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    let mut check_id = |file: &str, id: &str, problems: &mut Problems| {
        if !is_valid_id(id) {
            problems.add(
                file,
                Some(id),
                "invalid id: use lowercase letters, digits and `-` only, 56 characters at most",
            );
        }
        if let Some(first_file) = seen_ids.get(id) {
            problems.add(
                file,
                Some(id),
                format!("duplicate id (already used in {first_file})"),
            );
        } else {
            seen_ids.insert(id.to_string(), file.to_string());
        }
    };

    let articles: Vec<Article> = raw
        .articles
        .into_iter()
        .filter_map(|(file, article)| {
            check_id(&file, &article.id, problems);
            let id = article.id.clone();
            let valid = validate_article(file, article, problems);
            if valid.is_none() {
                problems.refused_ids.insert(id);
            }
            valid
        })
        .collect();
    let article_index: HashMap<&str, ArticleIndex> = articles
        .iter()
        .enumerate()
        .map(|(index, article)| (article.id.as_str(), ArticleIndex(index)))
        .collect();
    let folded_texts: Vec<String> = articles
        .iter()
        .map(|article| fold_white_space(&article.text))
        .collect();

    let mut claims = Vec::new();
    for (file, claim) in raw.claims {
        check_id(&file, &claim.id, problems);
        let id = claim.id.as_str();
        require_text(&file, id, "fr", &claim.fr, problems);
        require_text(&file, id, "en", &claim.en, problems);
        if claim.source.is_empty() {
            problems.add(
                &file,
                Some(id),
                "claim without a source: add a [[claim.source]] with `article` and `quote`",
            );
        }
        let mut sources = Vec::new();
        for source in claim.source {
            let Some(&article) = article_index.get(source.article.as_str()) else {
                if problems.refused_ids.contains(&source.article) {
                    continue;
                }
                problems.add(
                    &file,
                    Some(id),
                    format!("unknown article `{}`", source.article),
                );
                continue;
            };
            let quote = fold_white_space(&source.quote);
            if quote.is_empty() {
                problems.add(&file, Some(id), "empty quote");
                continue;
            }
            if !folded_texts[article.0].contains(&quote) {
                problems.add(
                    &file,
                    Some(id),
                    format!(
                        "quote not found verbatim in article `{}`: «{}»",
                        source.article, source.quote
                    ),
                );
                continue;
            }
            sources.push(ClaimSource {
                article,
                quote: source.quote.trim().to_string(),
            });
        }
        claims.push(Claim {
            id: claim.id,
            statement_fr: claim.fr,
            statement_en: claim.en,
            sources,
            file,
        });
    }
    let claim_index: HashMap<String, ClaimIndex> = claims
        .iter()
        .enumerate()
        .map(|(index, claim)| (claim.id.clone(), ClaimIndex(index)))
        .collect();
    let resolve_claims = |file: &str, id: &str, names: &[String], problems: &mut Problems| {
        let mut resolved = Vec::new();
        for name in names {
            match claim_index.get(name) {
                Some(&index) => resolved.push(index),
                None if problems.refused_ids.contains(name) => {}
                None => problems.add(file, Some(id), format!("unknown claim `{name}`")),
            }
        }
        resolved
    };

    let mut entries = Vec::new();
    for (file, entry) in raw.entries {
        check_id(&file, &entry.id, problems);
        let id = entry.id.as_str();
        require_questions_and_answers(
            &file,
            id,
            (&entry.questions, &entry.answer_fr, &entry.answer_en),
            problems,
        );
        if entry.claims.is_empty() {
            problems.add(
                &file,
                Some(id),
                "entry without a citation: list the claims its answer rests on in `claims`",
            );
        }
        let claims = resolve_claims(&file, id, &entry.claims, problems);
        entries.push(Entry {
            id: entry.id,
            questions: entry.questions,
            answer_fr: entry.answer_fr,
            answer_en: entry.answer_en,
            claims,
            file,
        });
    }

    let mut smalltalk = Vec::new();
    let mut nothing_to_match_reply: Option<String> = None;
    for (file, talk) in raw.smalltalk {
        if talk.when_nothing_to_match {
            if let Some(first) = &nothing_to_match_reply {
                problems.add(
                    &file,
                    Some(&talk.id),
                    format!(
                        "`when_nothing_to_match` is already set on small talk `{first}`: only one small talk may answer a message with no word to match"
                    ),
                );
            } else {
                nothing_to_match_reply = Some(talk.id.clone());
            }
        }
        check_id(&file, &talk.id, problems);
        let id = talk.id.as_str();
        require_questions_and_answers(
            &file,
            id,
            (&talk.questions, &talk.answer_fr, &talk.answer_en),
            problems,
        );
        smalltalk.push(Smalltalk {
            id: talk.id,
            questions: talk.questions,
            answer_fr: talk.answer_fr,
            answer_en: talk.answer_en,
            list_sources: talk.list_sources,
            when_nothing_to_match: talk.when_nothing_to_match,
            file,
        });
    }

    let entry_index: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(position, entry)| (entry.id.as_str(), position))
        .collect();
    let mut gaps = Vec::new();
    for (file, gap) in raw.gaps {
        check_id(&file, &gap.id, problems);
        let id = gap.id.as_str();
        require_questions_and_answers(
            &file,
            id,
            (&gap.questions, &gap.answer_fr, &gap.answer_en),
            problems,
        );
        let mut related = Vec::new();
        for name in &gap.related {
            match entry_index.get(name.as_str()) {
                Some(&position) => related.push(position),
                None if problems.refused_ids.contains(name) => {}
                None => problems.add(
                    &file,
                    Some(id),
                    format!("unknown entry `{name}` in `related`"),
                ),
            }
        }
        gaps.push(Gap {
            id: gap.id,
            questions: gap.questions,
            answer_fr: gap.answer_fr,
            answer_en: gap.answer_en,
            related,
            file,
        });
    }

    let mut disagreements = Vec::new();
    let mut disagreements_by_claim: HashMap<ClaimIndex, Vec<usize>> = HashMap::new();
    for (file, disagreement) in raw.disagreements {
        check_id(&file, &disagreement.id, problems);
        let id = disagreement.id.as_str();
        require_text(&file, id, "fr", &disagreement.fr, problems);
        require_text(&file, id, "en", &disagreement.en, problems);
        if disagreement.claims.len() < 2 {
            problems.add(
                &file,
                Some(id),
                "a disagreement needs two or more claims, one per side",
            );
        }
        let sides = resolve_claims(&file, id, &disagreement.claims, problems);
        for side in &sides {
            disagreements_by_claim
                .entry(*side)
                .or_default()
                .push(disagreements.len());
        }
        disagreements.push(Disagreement {
            id: disagreement.id,
            summary_fr: disagreement.fr,
            summary_en: disagreement.en,
            sides,
            file,
        });
    }

    let synonyms = validate_synonyms(raw.synonyms, problems);

    Pack {
        articles,
        claims,
        entries,
        smalltalk,
        gaps,
        disagreements,
        synonyms,
        disagreements_by_claim,
    }
}

fn validate_article(file: String, raw: RawArticle, problems: &mut Problems) -> Option<Article> {
    let id = raw.id.as_str();
    let language = match raw.language.as_str() {
        "fr" => Lang::Fr,
        "en" => Lang::En,
        other => {
            problems.add(
                &file,
                Some(id),
                format!("language `{other}` is not supported: use \"fr\" or \"en\""),
            );
            return None;
        }
    };
    if raw.text.trim().is_empty() {
        problems.add(&file, Some(id), "the article has no `text`");
    }
    let folded_text = fold(&raw.text);
    for author in &raw.authors {
        if !folded_text.contains(&fold(author.trim())) {
            problems.add(
                &file,
                Some(id),
                format!("author `{author}` does not appear in the article text"),
            );
        }
    }
    if let Some(outlet) = &raw.outlet {
        require_text(&file, id, "outlet", outlet, problems);
    }
    if let Some(title) = &raw.title {
        require_text(&file, id, "title", title, problems);
    }
    for name in &raw.known_as {
        require_text(&file, id, "known_as", name, problems);
    }
    let published = if raw.published == "undated" {
        match (raw.date_note_fr, raw.date_note_en) {
            (Some(known_fr), Some(known_en))
                if !known_fr.trim().is_empty() && !known_en.trim().is_empty() =>
            {
                PublicationDate::Undated { known_fr, known_en }
            }
            _ => {
                problems.add(
                    &file,
                    Some(id),
                    "undated article: `date_note_fr` and `date_note_en` must say what the text lets us know of its date",
                );
                return None;
            }
        }
    } else {
        if raw.date_note_fr.is_some() || raw.date_note_en.is_some() {
            problems.add(
                &file,
                Some(id),
                "`date_note_fr`/`date_note_en` are only for `published = \"undated\"`",
            );
        }
        match PublicationDate::parse_dated(&raw.published) {
            Ok(date) => date,
            Err(problem) => {
                problems.add(&file, Some(id), problem);
                return None;
            }
        }
    };
    Some(Article {
        id: raw.id,
        outlet: raw.outlet,
        authors: raw.authors,
        title: raw.title,
        known_as: raw.known_as,
        language,
        published,
        text: raw.text,
        file,
    })
}

fn validate_synonyms(raw: Vec<(String, RawSynonym)>, problems: &mut Problems) -> Vec<SynonymGroup> {
    let mut owner_of_variant: HashMap<String, String> = HashMap::new();
    let mut groups = Vec::new();
    for (file, synonym) in raw {
        let canonical_tokens = tokenize(&synonym.canonical);
        if canonical_tokens.len() != 1 {
            problems.add(
                &file,
                Some(&synonym.canonical),
                "`canonical` must be a single word",
            );
            continue;
        }
        let mut seen_in_group = HashSet::new();
        for variant in &synonym.variants {
            let key = tokenize(variant).join(" ");
            if key.is_empty() {
                problems.add(
                    &file,
                    Some(&synonym.canonical),
                    format!("variant `{variant}` has no letters or digits"),
                );
                continue;
            }
            if !seen_in_group.insert(key.clone()) {
                continue;
            }
            if let Some(other) = owner_of_variant.get(&key)
                && other != &synonym.canonical
            {
                problems.add(
                    &file,
                    Some(&synonym.canonical),
                    format!("variant `{variant}` already belongs to the group of `{other}`"),
                );
                continue;
            }
            owner_of_variant.insert(key, synonym.canonical.clone());
        }
        groups.push(SynonymGroup {
            canonical: canonical_tokens[0].clone(),
            variants: synonym.variants,
            must_match: synonym.must_match,
        });
    }
    groups
}

fn require_text(file: &str, id: &str, field: &str, value: &str, problems: &mut Problems) {
    if value.trim().is_empty() {
        problems.add(file, Some(id), format!("`{field}` is empty"));
    }
}

/// An entry, a gap or a small-talk item: phrasings, and an answer in both languages.
fn require_questions_and_answers(
    file: &str,
    id: &str,
    (questions, answer_fr, answer_en): (&[String], &str, &str),
    problems: &mut Problems,
) {
    require_questions(file, id, questions, problems);
    require_text(file, id, "answer_fr", answer_fr, problems);
    require_text(file, id, "answer_en", answer_en, problems);
}

fn require_questions(file: &str, id: &str, questions: &[String], problems: &mut Problems) {
    if questions.iter().all(|question| question.trim().is_empty()) {
        problems.add(file, Some(id), "`questions` needs at least one phrasing");
    }
}

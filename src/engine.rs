//! The answer engine: a question in, a [`Reply`] out.
//!
//! It analyses the question with the [`Index`], decides between `answered`, `clarify`,
//! `no_answer` and `smalltalk` with the thresholds of [`MatchConfig`], and hands the decision
//! to [`crate::compose`] to build the cited reply. Deterministic: the same pack, configuration
//! and question always give the same reply.
//!
//! Pure: no I/O, no clock, no Telegram, no async. Callers own logging and timing.

use serde::Deserialize;

use crate::compose::{self, Decision, Reply};
use crate::index::{Index, QueryTerm, Scored, ScoringWeights, Target};
use crate::knowledge::Pack;
use crate::text::{Lang, guess_language, is_generic, question_sentences};

/// Matching thresholds and weights (`[matching]` in `config/citebot.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchConfig {
    /// Best score needed to answer.
    pub answer_threshold: f64,
    /// Best score needed to answer a long question (at least `long_question_words` known
    /// content words): every extra word a person writes lowers the share of the question any
    /// one answer covers, so long questions score lower for the same match.
    pub long_question_answer_threshold: f64,
    /// `bag_weight` for long questions: no single phrasing holds all the words of a long
    /// question, so what the target's material covers as a whole counts more.
    pub long_question_bag_weight: f64,
    /// A long question may also be answered below `long_question_answer_threshold` (never
    /// below `clarify_threshold`) when its best answer leads the next one by this much and its
    /// material covers at least `long_question_min_coverage`: people who tell a story around
    /// their question ("mon frère dit que…") use many words no answer holds, yet one answer
    /// stands out. 1 turns this off.
    pub long_question_clear_lead: f64,
    /// ... if it scores at least this much (and words the pack never saw weigh at most half
    /// of `max_unknown_share`).
    pub long_question_lead_min_score: f64,
    pub long_question_min_coverage: f64,
    /// Best score needed to offer suggestions (below: no answer).
    pub clarify_threshold: f64,
    /// Another target within this distance of the best one makes the question ambiguous.
    pub ambiguity_margin: f64,
    /// A claim that scores at most this much above an entry resting on it is answered with
    /// that entry: the entry is the fuller answer ("comment Canik a fait disparaître sa vidéo
    /// ?" gets the legal threats too, not only "the video was deleted").
    pub claim_fold_margin: f64,
    /// Share of the question's weight the chosen target's material must cover to answer
    /// (see [`Scored::coverage`]).
    pub min_coverage: f64,
    /// Best score a gap (something the articles do not say, `[[gap]]` in the pack) needs to
    /// decline the question with its own honest text.
    pub gap_threshold: f64,
    /// A gap wins when it scores within this much of the best answer (see
    /// `Engine::winning_gap` for the conditions): declining a question the articles may not
    /// answer is safer than answering a neighbouring one.
    pub gap_margin: f64,
    /// A gap leading the best answer by this much wins even if that answer's material holds
    /// every word of the question. 1 turns this off.
    pub gap_clear_lead: f64,
    /// A gap scoring at least this much (its phrasing is the question, nearly word for word)
    /// and above the answer the decision would choose wins even if that answer's material
    /// holds every word. Above 1 turns this off.
    pub gap_asked_as_is: f64,
    /// Weight factor of the words around the sentence that asks, in a message of several
    /// sentences that was not answered whole (0: the asking sentence alone).
    pub context_weight: f64,
    /// Best score needed for a small-talk reply.
    pub smalltalk_threshold: f64,
    /// Above this share of the question's weight in words the pack does not know, the
    /// question is not answered (its key content is absent from the articles).
    pub max_unknown_share: f64,
    /// A short question (at most `short_question_words` words the pack knows, question words
    /// aside) is not answered when words the pack never saw weigh more than
    /// `short_question_max_unknown_share` of it: in "quand le Mali a-t-il obtenu son
    /// *indépendance* ?" the unknown word is what is asked about. 0 words turns this off.
    pub short_question_words: usize,
    pub short_question_max_unknown_share: f64,
    /// See [`ScoringWeights`].
    pub document_coverage_weight: f64,
    pub corrected_term_weight: f64,
    pub statement_factor: f64,
    pub bag_weight: f64,
    pub generic_word_weight: f64,
    pub idf_exponent: f64,
    /// Questions with at least this many known content words may leave one of them
    /// uncovered (see `min_coverage`); 0 turns this off.
    pub long_question_words: usize,
    /// How many suggestions at most.
    pub max_suggestions: usize,
    /// Questions longer than this many characters are cut before analysis.
    pub max_question_chars: usize,
}

impl Default for MatchConfig {
    fn default() -> MatchConfig {
        MatchConfig {
            answer_threshold: 0.6,
            long_question_answer_threshold: 0.6,
            long_question_bag_weight: 0.5,
            long_question_clear_lead: 1.0,
            long_question_lead_min_score: 0.5,
            long_question_min_coverage: 0.75,
            clarify_threshold: 0.4,
            ambiguity_margin: 0.05,
            claim_fold_margin: 0.1,
            min_coverage: 0.8,
            gap_threshold: 0.6,
            gap_margin: 0.0,
            gap_clear_lead: 1.0,
            gap_asked_as_is: 2.0,
            context_weight: 0.1,
            smalltalk_threshold: 0.6,
            max_unknown_share: 0.3,
            short_question_words: 0,
            short_question_max_unknown_share: 1.0,
            document_coverage_weight: 0.3,
            corrected_term_weight: 0.85,
            statement_factor: 0.9,
            bag_weight: 0.5,
            generic_word_weight: 0.3,
            idf_exponent: 1.0,
            long_question_words: 5,
            max_suggestions: 3,
            max_question_chars: 1000,
        }
    }
}

impl MatchConfig {
    pub fn weights(&self) -> ScoringWeights {
        ScoringWeights {
            document_coverage_weight: self.document_coverage_weight,
            corrected_term_weight: self.corrected_term_weight,
            statement_factor: self.statement_factor,
            bag_weight: self.bag_weight,
            generic_word_weight: self.generic_word_weight,
            idf_exponent: self.idf_exponent,
        }
    }
}

/// How many of the best-scored targets the decision looks at.
const RANKING_HEAD: usize = 32;

/// The inside of one match, for curators tuning phrasings.
#[derive(Debug)]
pub struct Explanation {
    pub terms: Vec<QueryTerm>,
    /// Id, score, coverage, and the question's words the target's material lacks.
    pub ranked: Vec<(String, f64, f64, Vec<String>)>,
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let terms: Vec<String> = self
            .terms
            .iter()
            .map(|term| {
                let mut shown = format!("{}:{:.2}", term.word, term.weight);
                if let Some(typed) = &term.corrected_from {
                    shown.push_str(&format!("(from {typed})"));
                }
                if term.is_unknown() {
                    shown.push_str("(unknown)");
                }
                if let Some(marker) = &term.focus {
                    shown.push_str(&format!("[focus of {marker}]"));
                }
                if term.must_match {
                    shown.push_str("[must match]");
                }
                shown
            })
            .collect();
        writeln!(formatter, "terms: {}", terms.join(" "))?;
        for (id, score, coverage, uncovered) in &self.ranked {
            writeln!(
                formatter,
                "  {score:.3}  coverage {coverage:.2}  {id}  lacks [{}]",
                uncovered.join(" ")
            )?;
        }
        Ok(())
    }
}

/// A pack with its index and thresholds, ready to answer.
#[derive(Debug)]
pub struct Engine {
    pack: Pack,
    index: Index,
    config: MatchConfig,
}

impl Engine {
    pub fn new(pack: Pack, config: MatchConfig) -> Engine {
        let index = Index::build(&pack, config.weights());
        Engine {
            pack,
            index,
            config,
        }
    }

    pub fn pack(&self) -> &Pack {
        &self.pack
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Answers one question. Any input is accepted; very long input is cut.
    pub fn ask(&self, question: &str) -> Reply {
        let question = cut_to_chars(question, self.config.max_question_chars);
        let lang = guess_language(question);
        let decision = match self.index.smalltalk_said_exactly(question) {
            Some(target) => Decision::Smalltalk { target, score: 1.0 },
            None => self.decide_message(question),
        };
        compose::compose(&self.pack, question, lang, decision)
    }

    /// Answers a known entry, claim or small-talk id directly (a suggestion button).
    pub fn answer_id(&self, id: &str, lang: Lang) -> Option<Reply> {
        let target = self.target_by_id(id)?;
        let decision = match target {
            Target::Smalltalk(_) => Decision::Smalltalk { target, score: 1.0 },
            _ => Decision::Answered { target, score: 1.0 },
        };
        Some(compose::compose(&self.pack, "", lang, decision))
    }

    /// Example questions for welcome messages: the first phrasing of the first entries.
    pub fn example_questions(&self, lang: Lang, how_many: usize) -> Vec<String> {
        self.pack
            .entries
            .iter()
            .map(|entry| compose::phrasing_in(&entry.questions, lang))
            .take(how_many)
            .collect()
    }

    /// What matching saw, for `citebot ask --explain`: the analysed terms and the best
    /// targets with their scores.
    pub fn explain(&self, question: &str, how_many: usize) -> Explanation {
        let question = cut_to_chars(question, self.config.max_question_chars);
        let terms = self.index.analyze(question);
        let ranked = self
            .ranking(&terms)
            .into_iter()
            .take(how_many)
            .map(|scored| {
                (
                    self.target_id(scored.target).to_string(),
                    scored.score,
                    scored.coverage,
                    self.index.uncovered_words(&terms, scored.target),
                )
            })
            .collect();
        Explanation { terms, ranked }
    }

    fn target_id(&self, target: Target) -> &str {
        match target {
            Target::Entry(position) => &self.pack.entries[position].id,
            Target::Claim(position) => &self.pack.claims[position].id,
            Target::Smalltalk(position) => &self.pack.smalltalk[position].id,
            Target::Article(position) => &self.pack.articles[position].id,
            Target::Gap(position) => &self.pack.gaps[position].id,
        }
    }

    fn target_by_id(&self, id: &str) -> Option<Target> {
        let pack = &self.pack;
        if let Some(position) = pack.entries.iter().position(|entry| entry.id == id) {
            return Some(Target::Entry(position));
        }
        if let Some(position) = pack.claims.iter().position(|claim| claim.id == id) {
            return Some(Target::Claim(position));
        }
        if let Some(position) = pack.smalltalk.iter().position(|talk| talk.id == id) {
            return Some(Target::Smalltalk(position));
        }
        pack.articles
            .iter()
            .position(|article| article.id == id)
            .map(Target::Article)
    }

    /// The decision on the whole message; when it is not an answer, the decision with the
    /// sentence that asks (see [`question_sentences`]) in front: its words keep their weight,
    /// the story told around it ("mon frère dit que…") weighs `context_weight` and asks
    /// nothing (no focus, no must-match). Taken only if it answers clearly or meets a gap. A
    /// sentence that names nothing the pack knows, inside a story made mostly of words it never
    /// saw, is not tried: the whole message's decision stands.
    fn decide_message(&self, question: &str) -> Decision {
        let whole_terms = self.index.analyze(question);
        // Only stop words and generic words ("tu peux faire quoi ?", "mon frère dit que"):
        // nothing to match, so the pack's help, if it has one, rather than an answer that
        // shares a word as vague as "dit" or "my sources don't say".
        let nothing_to_match = whole_terms
            .iter()
            .all(|term| !term.question_word && !term.is_unknown() && is_generic(&term.word));
        if nothing_to_match && question.chars().any(char::is_alphanumeric) {
            let help = self
                .pack
                .smalltalk
                .iter()
                .position(|talk| talk.when_nothing_to_match);
            if let Some(position) = help {
                return Decision::Smalltalk {
                    target: Target::Smalltalk(position),
                    score: 0.0,
                };
            }
        }
        let whole = self.decide(&whole_terms);
        if matches!(
            whole,
            Decision::Answered { .. } | Decision::Smalltalk { .. } | Decision::Gap { .. }
        ) {
            return whole;
        }
        let story_unknown = unknown_share_of(&whole_terms) > self.config.max_unknown_share;
        for sentence in question_sentences(question) {
            let terms = self.index.analyze(sentence);
            // "… un passeport à Paris : quels papiers il faut et combien de temps ça prend ?":
            // the sentence names nothing the pack knows, only what is asked (a duration, a
            // date), and the story it leans on is about something else.
            let names_something_known =
                known_content_terms(&terms).any(|term| !term.must_match && !is_generic(&term.word));
            if story_unknown && !names_something_known {
                continue;
            }
            // The asking sentence often leans on the story ("c'est ce que rapporte la presse
            // ?"): only a clear answer is taken, never one a long question's lead allows.
            let decision = self.decide_sentence(terms, &whole_terms);
            let clear = match decision {
                Decision::Answered { score, .. } => score >= self.config.answer_threshold,
                Decision::Gap { .. } => true,
                _ => false,
            };
            if clear {
                return decision;
            }
        }
        whole
    }

    fn decide_sentence(&self, mut terms: Vec<QueryTerm>, whole_terms: &[QueryTerm]) -> Decision {
        let context: Vec<QueryTerm> = whole_terms
            .iter()
            .filter(|term| !terms.iter().any(|asked| asked.word == term.word))
            .map(|term| QueryTerm {
                weight: term.weight * self.config.context_weight,
                focus: None,
                narrows_count: false,
                must_match: false,
                alternative: false,
                ..term.clone()
            })
            .collect();
        terms.extend(context);
        self.decide(&terms)
    }

    /// One ranking of the analysed question decides small talk, a gap, an answer, a
    /// clarification or no answer. Words that only gaps use ("visiteurs", "études") are known
    /// words no answer holds: an answer misses them, and the question is declined unless it
    /// holds enough else.
    fn decide(&self, query: &[QueryTerm]) -> Decision {
        let ranked = self.ranking(query);
        let Some(best) = ranked.first().copied() else {
            return Decision::NoAnswer {
                score: 0.0,
                suggestions: Vec::new(),
            };
        };
        if let Target::Smalltalk(_) = best.target
            && best.score >= self.config.smalltalk_threshold
        {
            return Decision::Smalltalk {
                target: best.target,
                score: best.score,
            };
        }
        // Only the head of the ranking can be answered or suggested: keep the decision's cost
        // independent of how many targets share a word with the question.
        let head = &ranked[..ranked.len().min(RANKING_HEAD)];
        // "aide stp, je sais pas comment t'utiliser": small talk that holds every word of the
        // message beats an answer that misses one ("aide" is also aid given to a country).
        if let Some(talk) = self.small_talk_holding_every_word(query, head) {
            return talk;
        }
        let candidates = self.distinct_candidates(head);
        // What the question asks about ("combien de visiteurs", "quand…") must be something
        // the answer speaks of: the best candidate that does is chosen.
        let narrowing = query.iter().find(|term| term.narrows_count);
        let speaks_of_focus = |scored: &Scored| {
            query.iter().all(|term| match term.focus.as_deref() {
                Some("combien") => self.index.counts(scored.target, term, narrowing),
                Some(_) => self.index.covers(scored.target, term),
                None => !term.must_match || self.index.covers(scored.target, term),
            })
        };
        let unknown_share = unknown_share_of(query);
        let short_and_unknown = known_content_terms(query).count()
            <= self.config.short_question_words
            && unknown_share > self.config.short_question_max_unknown_share;
        if let Some(gap) =
            self.winning_gap(query, head, &candidates, unknown_share, speaks_of_focus)
        {
            return gap;
        }
        let Some(&first) = candidates.first() else {
            return Decision::NoAnswer {
                score: best.score,
                suggestions: Vec::new(),
            };
        };
        let (chosen, focus_missed) = match candidates.iter().find(|scored| speaks_of_focus(scored))
        {
            Some(&speaking) => (speaking, false),
            None => (first, true),
        };
        let suggestions = |minimum: f64| -> Vec<Target> {
            candidates
                .iter()
                .filter(|scored| scored.score >= minimum)
                .map(|scored| scored.target)
                .take(self.config.max_suggestions)
                .collect()
        };

        let is_long = self.is_long(query);
        let coverage = self.coverage_allowing_one_stray_word(query, chosen);
        let runner_up = candidates
            .iter()
            .find(|candidate| candidate.target != chosen.target)
            .map_or(0.0, |candidate| candidate.score);
        let stands_out = is_long
            && chosen.score - runner_up >= self.config.long_question_clear_lead
            && chosen.score >= self.config.long_question_lead_min_score
            && unknown_share <= self.config.max_unknown_share / 2.0
            && coverage >= self.config.long_question_min_coverage;
        // Words the pack never saw, a weak match, or a best match whose material does not
        // speak of part of the question: the sources don't say (with related questions).
        if unknown_share > self.config.max_unknown_share
            || short_and_unknown
            || focus_missed
            || chosen.score < self.config.clarify_threshold
            || (coverage < self.config.min_coverage && !stands_out)
        {
            return Decision::NoAnswer {
                score: chosen.score,
                suggestions: suggestions(self.config.clarify_threshold * 0.75),
            };
        }
        let close_rivals = candidates
            .iter()
            .skip(1)
            .filter(|rival| chosen.score - rival.score < self.config.ambiguity_margin)
            .count();
        let answer_threshold = if is_long {
            self.config.long_question_answer_threshold
        } else {
            self.config.answer_threshold
        };
        if (chosen.score >= answer_threshold || stands_out) && close_rivals == 0 {
            return Decision::Answered {
                target: chosen.target,
                score: chosen.score,
            };
        }
        Decision::Clarify {
            score: chosen.score,
            suggestions: suggestions(self.config.clarify_threshold),
        }
    }

    /// A gap the question matches as well as (or nearly as well as) any answer, when the
    /// articles do not say: the gap's text tells what is missing. The best gap of the head
    /// that covers `min_coverage` of the question is tried; it must score `gap_threshold`,
    /// and few of the question's words may be unknown (else it is about something else
    /// again). Then it wins if the answer the decision would choose misses a word of the
    /// question ("combien *exactement*", "le *prix*") and scores at most `gap_margin` above
    /// it, and the gap's phrasings hold the question word the question must match
    /// ("combien", "quand"); or if it leads that answer by `gap_clear_lead` whatever the
    /// answer covers; or if it scores `gap_asked_as_is` and above that answer.
    fn winning_gap(
        &self,
        query: &[QueryTerm],
        head: &[Scored],
        candidates: &[Scored],
        unknown_share: f64,
        speaks_of_focus: impl Fn(&Scored) -> bool,
    ) -> Option<Decision> {
        if unknown_share > self.config.max_unknown_share / 2.0 {
            return None;
        }
        // The best gap that covers the question: one that misses part of it ("la *portée* des
        // missiles Roketsan" against "which Roketsan products") does not hide one that holds it.
        let gap = head.iter().find(|scored| {
            matches!(scored.target, Target::Gap(_)) && scored.coverage >= self.config.min_coverage
        })?;
        if gap.score < self.config.gap_threshold {
            return None;
        }
        // The answer the decision would choose: the best one speaking of the focus.
        let best_answer = candidates
            .iter()
            .find(|answer| speaks_of_focus(answer))
            .or(candidates.first());
        // A generic word no phrasing of the gap holds either ("d'où *viennent*-ils", "quel
        // *article* parle de Canik") tells nothing.
        let answer_misses_something = best_answer.is_none_or(|answer| {
            !speaks_of_focus(answer)
                || known_content_terms(query).any(|term| {
                    !self.index.covers(answer.target, term)
                        && (!is_generic(&term.word) || self.index.phrasings_hold(gap.target, term))
                })
        });
        let best_answer_score = best_answer.map_or(0.0, |answer| answer.score);
        // "Combien d'Akinci sont arrivés fin 2024 ?" is not asked by the gap "what exact date
        // did they arrive", which scores close to the answer that counts them: a question word
        // that must match ("combien", "quand") must be the gap's too.
        let asks_as_the_gap_does = query
            .iter()
            .filter(|term| term.question_word && term.must_match)
            .all(|term| self.index.phrasings_hold(gap.target, term));
        let close_enough = answer_misses_something
            && asks_as_the_gap_does
            && gap.score + self.config.gap_margin >= best_answer_score;
        // A gap far ahead wins even when the answer's (large) material holds every word: the
        // question is asked the way the gap is ("qui a clôturé le salon ?").
        let far_ahead = gap.score - best_answer_score >= self.config.gap_clear_lead;
        // "harun sarac représentait quelles firmes ?" asked the way the gap is, word for word:
        // the answer that reads the same ("a-t-il représenté des firmes ?") comes second.
        let asked_as_the_gap =
            gap.score >= self.config.gap_asked_as_is && gap.score > best_answer_score;
        if !close_enough && !far_ahead && !asked_as_the_gap {
            return None;
        }
        Some(Decision::Gap {
            target: gap.target,
            score: gap.score,
        })
    }

    /// Targets best first, scored as the decision scores them (long questions weigh the bag
    /// more).
    fn ranking(&self, query: &[QueryTerm]) -> Vec<Scored> {
        if self.is_long(query) {
            self.index
                .score_with_bag_weight(query, self.config.long_question_bag_weight)
        } else {
            self.index.score(query)
        }
    }

    /// Whether the question has at least `long_question_words` known content words.
    fn is_long(&self, query: &[QueryTerm]) -> bool {
        let known = known_content_terms(query).count();
        self.config.long_question_words > 0 && known >= self.config.long_question_words
    }

    /// The chosen target's coverage, forgiving one uncovered word in a long question: people
    /// who write full sentences add a word of their own ("le *statut* d'invité d'honneur")
    /// that no text of the pack uses. Never the focus, a `must_match` word or a name.
    fn coverage_allowing_one_stray_word(&self, query: &[QueryTerm], chosen: Scored) -> f64 {
        let known: Vec<(&QueryTerm, bool)> = known_content_terms(query)
            .map(|term| (term, self.index.covers(chosen.target, term)))
            .collect();
        let known_weight: f64 = known.iter().map(|(term, _)| term.weight).sum();
        // "colonel ou général ?": an answer that says "général" covers the question.
        let covers_an_alternative = known
            .iter()
            .any(|&(term, covered)| term.alternative && covered);
        let unneeded_alternatives: f64 = known
            .iter()
            .filter(|&&(term, covered)| covers_an_alternative && term.alternative && !covered)
            .map(|(term, _)| term.weight)
            .sum();
        if !self.is_long(query) {
            return forgive(chosen.coverage, known_weight, unneeded_alternatives);
        }
        let stray_weight = known
            .iter()
            .filter(|&&(term, covered)| !covered && !term.alternative)
            .filter(|(term, _)| term.focus.is_none() && !term.must_match)
            // A name is what the question is about: "des drones vendus au *Burkina*" is not
            // answered by what Mali bought.
            .filter(|(term, _)| !self.index.is_proper_noun(term))
            .map(|(term, _)| term.weight)
            .fold(0.0, f64::max);
        forgive(
            chosen.coverage,
            known_weight,
            unneeded_alternatives + stray_weight,
        )
    }

    /// The best small talk of the head of the ranking, when it scores `smalltalk_threshold`,
    /// its phrasings hold every known word of the message, and the best answer's material
    /// misses one of them.
    fn small_talk_holding_every_word(
        &self,
        query: &[QueryTerm],
        head: &[Scored],
    ) -> Option<Decision> {
        let talk = head.iter().find(|scored| {
            matches!(scored.target, Target::Smalltalk(_))
                && scored.score >= self.config.smalltalk_threshold
        })?;
        let holds_every_word =
            |target: Target| known_content_terms(query).all(|term| self.index.covers(target, term));
        let best_answer = head
            .iter()
            .find(|scored| !matches!(scored.target, Target::Smalltalk(_) | Target::Gap(_)))?;
        if !holds_every_word(talk.target) || holds_every_word(best_answer.target) {
            return None;
        }
        Some(Decision::Smalltalk {
            target: talk.target,
            score: talk.score,
        })
    }

    /// Ranked answerable targets with one line per fact: a claim that an entry close to it
    /// already rests on is folded into that entry (the entry is the richer answer), and small
    /// talk is left out.
    fn distinct_candidates(&self, ranked: &[Scored]) -> Vec<Scored> {
        let cites = |entry: usize, claim: usize| {
            self.pack.entries[entry]
                .claims
                .iter()
                .any(|cited| cited.0 == claim)
        };
        let mut candidates: Vec<Scored> = Vec::new();
        for scored in ranked {
            let mut scored = *scored;
            match scored.target {
                Target::Smalltalk(_) | Target::Gap(_) => continue,
                Target::Entry(_) | Target::Article(_) => {}
                Target::Claim(claim) => {
                    let already_cited = candidates.iter().any(|candidate| {
                        matches!(candidate.target, Target::Entry(entry) if cites(entry, claim))
                    });
                    if already_cited {
                        continue;
                    }
                    let close_entry = ranked.iter().find(|other| {
                        matches!(other.target, Target::Entry(entry) if cites(entry, claim))
                            && scored.score - other.score < self.config.claim_fold_margin
                    });
                    if let Some(entry) = close_entry {
                        scored.target = entry.target;
                        scored.coverage = scored.coverage.max(entry.coverage);
                    }
                }
            }
            if !candidates
                .iter()
                .any(|candidate| candidate.target == scored.target)
            {
                candidates.push(scored);
            }
        }
        candidates
    }
}

/// The share of the question's weight carried by words the pack does not know.
fn unknown_share_of(query: &[QueryTerm]) -> f64 {
    let total_weight: f64 = query.iter().map(|term| term.weight).sum();
    let unknown_weight: f64 = query
        .iter()
        .filter(|term| term.is_unknown())
        .map(|term| term.weight)
        .sum();
    if total_weight > 0.0 {
        unknown_weight / total_weight
    } else {
        1.0
    }
}

/// The question's words the pack knows, question words ("quand", "qui") left out.
fn known_content_terms(query: &[QueryTerm]) -> impl Iterator<Item = &QueryTerm> {
    query
        .iter()
        .filter(|term| !term.is_unknown() && !term.question_word)
}

/// A coverage computed over `known_weight`, recomputed as if `forgiven_weight` of it had not
/// been asked.
fn forgive(coverage: f64, known_weight: f64, forgiven_weight: f64) -> f64 {
    if forgiven_weight <= 0.0 || known_weight - forgiven_weight <= 0.0 {
        return coverage;
    }
    (coverage * known_weight / (known_weight - forgiven_weight)).min(1.0)
}

fn cut_to_chars(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((byte_position, _)) => &text[..byte_position],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::{JsonReply, Status, plain_text};
    use crate::knowledge::{SourceFile, SourceKind};

    const ARTICLE_DAY: &str = r#"
id = "jour"
outlet = "Le Quotidien"
authors = ["Awa Diallo"]
title = "Le salon de Bamako"
language = "fr"
published = "2025-11-12"
text = """
Le salon Bamex s’est tenu du 11 au 14 novembre 2025 à Bamako. Trente pays étaient présents.
Des dizaines d’exposants ont fait le déplacement.
Awa Diallo
"""
"#;

    const ARTICLE_UNDATED: &str = r#"
id = "sansdate"
authors = ["Moussa Keita"]
language = "fr"
published = "undated"
date_note_fr = "écrit après le salon"
date_note_en = "written after the fair"
text = """
Le salon a duré trois jours. Moussa Keita
"""
"#;

    const TABLES: &str = r#"
[[claim]]
id = "c-dates"
fr = "Le salon s'est tenu du 11 au 14 novembre 2025."
en = "The fair was held from 11 to 14 November 2025."
[[claim.source]]
article = "jour"
quote = "Le salon Bamex s’est tenu du 11 au 14 novembre 2025 à Bamako."

[[claim]]
id = "c-trois-jours"
fr = "Le salon a duré trois jours."
en = "The fair lasted three days."
[[claim.source]]
article = "sansdate"
quote = "Le salon a duré trois jours."

[[claim]]
id = "c-pays"
fr = "Trente pays étaient présents."
en = "Thirty countries attended."
[[claim.source]]
article = "jour"
quote = "Trente pays étaient présents."

[[claim]]
id = "c-exposants"
fr = "Des dizaines d'exposants ont fait le déplacement."
en = "Dozens of exhibitors came."
[[claim.source]]
article = "jour"
quote = "Des dizaines d’exposants ont fait le déplacement."

[[entry]]
id = "q-exposants"
questions = ["Combien d'exposants au salon ?"]
answer_fr = "Des dizaines d'exposants."
answer_en = "Dozens of exhibitors."
claims = ["c-exposants"]

[[disagreement]]
id = "d-duree"
fr = "Durée du salon."
en = "Length of the fair."
claims = ["c-dates", "c-trois-jours"]

[[entry]]
id = "q-dates"
questions = ["Quand a lieu le salon ?", "When is the fair?", "dates du salon"]
answer_fr = "Du 11 au 14 novembre 2025."
answer_en = "From 11 to 14 November 2025."
claims = ["c-dates"]

[[entry]]
id = "q-pays"
questions = ["Combien de pays au salon ?", "How many countries attended the fair?"]
answer_fr = "Trente pays."
answer_en = "Thirty countries."
claims = ["c-pays"]

[[gap]]
id = "gap-visiteurs"
questions = ["Combien de visiteurs au salon ?", "How many people visited the fair?"]
answer_fr = "Les articles ne donnent pas le nombre de visiteurs."
answer_en = "The articles don't give the number of visitors."
related = ["q-pays"]

[[gap]]
id = "gap-pays-exact"
questions = ["Combien de pays exactement au salon, et lesquels ?"]
answer_fr = "Les articles ne nomment pas ces pays."
answer_en = "The articles don't name these countries."
related = ["q-pays"]

[[smalltalk]]
id = "bonjour"
questions = ["bonjour", "hello"]
answer_fr = "Bonjour !"
answer_en = "Hello!"

[[synonym]]
canonical = "salon"
variants = ["fair", "bamex"]
[[synonym]]
canonical = "quand"
variants = ["when"]
[[synonym]]
canonical = "combien"
variants = ["how many"]
"#;

    fn engine() -> Engine {
        let files = [
            ("articles/jour.toml", SourceKind::Article, ARTICLE_DAY),
            (
                "articles/sansdate.toml",
                SourceKind::Article,
                ARTICLE_UNDATED,
            ),
            ("topics.toml", SourceKind::Tables, TABLES),
        ]
        .map(|(name, kind, contents)| SourceFile {
            name: name.into(),
            kind,
            contents: contents.into(),
        });
        let pack = Pack::from_sources(&files).unwrap_or_else(|error| panic!("{error}"));
        Engine::new(pack, MatchConfig::default())
    }

    /// One line per case: question, expected status, expected target id ("-" for none).
    const CASES: &[(&str, Status, &str)] = &[
        ("Quand a lieu le salon ?", Status::Answered, "q-dates"),
        ("quand a lieu le bamex", Status::Answered, "q-dates"),
        ("When is the fair?", Status::Answered, "q-dates"),
        ("combien de pays au bamex", Status::Answered, "q-pays"),
        ("bonjour", Status::Smalltalk, "bonjour"),
        ("Quel temps fait-il à Paris ?", Status::NoAnswer, "-"),
        ("combien coûte le ticket du salon ?", Status::NoAnswer, "-"),
        ("", Status::NoAnswer, "-"),
        // Article cards, from the metadata alone.
        (
            "Qui a écrit l'article du Quotidien ?",
            Status::Answered,
            "jour",
        ),
        ("Who is Moussa Keita?", Status::Answered, "sansdate"),
        // The focus of the question is absent from every answer.
        (
            "combien de pays visiteurs au salon ?",
            Status::NoAnswer,
            "-",
        ),
        // A gap of the pack declines with its own text.
        (
            "combien de visiteurs au salon ?",
            Status::NoAnswer,
            "gap-visiteurs",
        ),
        (
            "how many visitors came to bamex",
            Status::NoAnswer,
            "gap-visiteurs",
        ),
        // A glued elision ("lbamex" for "l'bamex") is repaired; SMS filler words are ignored.
        ("quand a lieu lbamex", Status::Answered, "q-dates"),
        (
            "combien de pays yavait au salon",
            Status::Answered,
            "q-pays",
        ),
    ];

    #[test]
    fn questions_get_the_expected_status_and_target() {
        let engine = engine();
        for &(question, status, target) in CASES {
            let reply = engine.ask(question);
            assert_eq!(reply.status, status, "{question:?}: {reply:?}");
            assert_eq!(
                reply.target_id.as_deref().unwrap_or("-"),
                target,
                "{question:?}"
            );
        }
    }

    #[test]
    fn an_answer_cites_its_claims_and_shows_every_side_of_a_disagreement() {
        let reply = engine().ask("Quand a lieu le salon ?");
        let text = plain_text(&reply);
        assert!(
            text.contains("Le Quotidien, Awa Diallo, 12 novembre 2025"),
            "{text}"
        );
        assert!(
            text.contains("Média non nommé, Moussa Keita, non daté (écrit après le salon)"),
            "{text}"
        );
        assert!(
            text.contains("Le salon a duré trois jours. (Média non nommé, non daté)"),
            "{text}"
        );
        assert!(
            text.contains("Sources (rapporté par 2 articles) :"),
            "{text}"
        );
        assert_eq!(reply.disagreements.len(), 1);
        let json = serde_json::to_value(JsonReply::new(&reply)).unwrap();
        let citations = json["citations"].as_array().unwrap();
        assert_eq!(citations.len(), 2);
        assert_eq!(citations[0]["published"], "2025-11-12");
        assert_eq!(citations[1]["published"], "non daté (écrit après le salon)");
        assert_eq!(citations[1]["outlet"], serde_json::Value::Null);
    }

    #[test]
    fn a_gap_says_what_the_articles_leave_out_then_what_they_do_say_cited() {
        let reply = engine().ask("Combien de visiteurs au salon ?");
        assert_eq!(reply.status, Status::NoAnswer);
        let text = plain_text(&reply);
        assert!(
            text.starts_with(
                "Les articles ne donnent pas le nombre de visiteurs.\n\nCe que disent les articles à ce sujet : Trente pays."
            ),
            "{text}"
        );
        assert!(
            text.contains("Le Quotidien, Awa Diallo, 12 novembre 2025"),
            "the related entry is cited: {text}"
        );
        assert!(reply.suggestions.is_empty(), "{reply:?}");
    }

    #[test]
    fn an_english_question_gets_an_english_answer() {
        let reply = engine().ask("When is the fair?");
        let text = plain_text(&reply);
        assert!(text.starts_with("From 11 to 14 November 2025."), "{text}");
        assert!(text.contains("12 November 2025"), "{text}");
        assert!(text.contains("undated (written after the fair)"), "{text}");
    }

    #[test]
    fn a_refusal_says_the_sources_are_silent() {
        let reply = engine().ask("Quel temps fait-il à Paris ?");
        assert!(plain_text(&reply).starts_with("Mes sources ne le disent pas."));
        assert!(reply.sources.is_empty());
    }

    #[test]
    fn the_same_question_always_gets_the_same_reply() {
        let engine = engine();
        for &(question, _, _) in CASES {
            assert_eq!(engine.ask(question), engine.ask(question));
        }
    }

    #[test]
    fn a_suggestion_id_is_answered_directly() {
        let engine = engine();
        let reply = engine.answer_id("q-pays", Lang::En).expect("known id");
        assert_eq!(reply.status, Status::Answered);
        assert!(plain_text(&reply).starts_with("Thirty countries."));
        assert!(engine.answer_id("nope", Lang::Fr).is_none());
    }
}

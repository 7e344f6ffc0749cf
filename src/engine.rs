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
use crate::index::{Index, QueryTerm, ScoringWeights, Target};
use crate::knowledge::Pack;
use crate::text::{Lang, guess_language};

/// Matching thresholds and weights (`[matching]` in `config/citebot.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchConfig {
    /// Best score needed to answer.
    pub answer_threshold: f64,
    /// Best score needed to offer suggestions (below: no answer).
    pub clarify_threshold: f64,
    /// Another target within this distance of the best one makes the question ambiguous.
    pub ambiguity_margin: f64,
    /// Best score needed for a small-talk reply.
    pub smalltalk_threshold: f64,
    /// Above this share of the question's weight in words the pack does not know, the
    /// question is not answered (its key content is absent from the articles).
    pub max_unknown_share: f64,
    /// See [`ScoringWeights`].
    pub document_coverage_weight: f64,
    pub corrected_term_weight: f64,
    pub statement_factor: f64,
    /// How many suggestions at most.
    pub max_suggestions: usize,
    /// Questions longer than this many characters are cut before analysis.
    pub max_question_chars: usize,
}

impl Default for MatchConfig {
    fn default() -> MatchConfig {
        MatchConfig {
            answer_threshold: 0.6,
            clarify_threshold: 0.4,
            ambiguity_margin: 0.05,
            smalltalk_threshold: 0.6,
            max_unknown_share: 0.3,
            document_coverage_weight: 0.3,
            corrected_term_weight: 0.85,
            statement_factor: 0.9,
            max_suggestions: 3,
            max_question_chars: 1000,
        }
    }
}

impl MatchConfig {
    fn weights(&self) -> ScoringWeights {
        ScoringWeights {
            document_coverage_weight: self.document_coverage_weight,
            corrected_term_weight: self.corrected_term_weight,
            statement_factor: self.statement_factor,
        }
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
        let query = self.index.analyze(question);
        let decision = self.decide(&query);
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

    fn target_by_id(&self, id: &str) -> Option<Target> {
        let pack = &self.pack;
        if let Some(position) = pack.entries.iter().position(|entry| entry.id == id) {
            return Some(Target::Entry(position));
        }
        if let Some(position) = pack.claims.iter().position(|claim| claim.id == id) {
            return Some(Target::Claim(position));
        }
        pack.smalltalk
            .iter()
            .position(|talk| talk.id == id)
            .map(Target::Smalltalk)
    }

    fn decide(&self, query: &[QueryTerm]) -> Decision {
        let ranked = self.index.score(query);
        let Some(&(best, best_score)) = ranked.first() else {
            return Decision::NoAnswer {
                score: 0.0,
                suggestions: Vec::new(),
            };
        };
        let total_weight: f64 = query.iter().map(|term| term.weight).sum();
        let unknown_weight: f64 = query
            .iter()
            .filter(|term| term.is_unknown())
            .map(|term| term.weight)
            .sum();
        let unknown_share = if total_weight > 0.0 {
            unknown_weight / total_weight
        } else {
            1.0
        };

        if let Target::Smalltalk(_) = best
            && best_score >= self.config.smalltalk_threshold
        {
            return Decision::Smalltalk {
                target: best,
                score: best_score,
            };
        }

        let candidates = self.distinct_candidates(&ranked);
        if candidates.is_empty() {
            return Decision::NoAnswer {
                score: best_score,
                suggestions: Vec::new(),
            };
        }
        let suggestions: Vec<Target> = candidates
            .iter()
            .filter(|(_, score)| *score >= self.config.clarify_threshold * 0.75)
            .map(|(target, _)| *target)
            .take(self.config.max_suggestions)
            .collect();

        if unknown_share > self.config.max_unknown_share
            || best_score < self.config.clarify_threshold
        {
            return Decision::NoAnswer {
                score: best_score,
                suggestions,
            };
        }
        let (chosen, chosen_score) = candidates[0];
        let close_rivals = candidates
            .iter()
            .skip(1)
            .filter(|(_, score)| chosen_score - score < self.config.ambiguity_margin)
            .count();
        if chosen_score >= self.config.answer_threshold && close_rivals == 0 {
            return Decision::Answered {
                target: chosen,
                score: chosen_score,
            };
        }
        let clarify: Vec<Target> = candidates
            .iter()
            .filter(|(_, score)| *score >= self.config.clarify_threshold)
            .map(|(target, _)| *target)
            .take(self.config.max_suggestions)
            .collect();
        Decision::Clarify {
            score: chosen_score,
            suggestions: clarify,
        }
    }

    /// Ranked answerable targets with one line per fact: a claim that an entry close to it
    /// already rests on is folded into that entry (the entry is the richer answer), and small
    /// talk is left out.
    fn distinct_candidates(&self, ranked: &[(Target, f64)]) -> Vec<(Target, f64)> {
        let mut candidates: Vec<(Target, f64)> = Vec::new();
        for &(target, score) in ranked {
            match target {
                Target::Smalltalk(_) => continue,
                Target::Entry(_) => {}
                Target::Claim(claim) => {
                    let citing_entry = candidates.iter().position(|(candidate, _)| {
                        matches!(candidate, Target::Entry(entry)
                            if self.pack.entries[*entry].claims.iter().any(|c| c.0 == claim))
                    });
                    if citing_entry.is_some() {
                        continue;
                    }
                    let better_entry = ranked.iter().find(|(other, other_score)| {
                        matches!(other, Target::Entry(entry)
                            if self.pack.entries[*entry].claims.iter().any(|c| c.0 == claim))
                            && score - other_score < self.config.ambiguity_margin
                    });
                    if let Some(&(entry, _)) = better_entry {
                        if !candidates.iter().any(|(candidate, _)| *candidate == entry) {
                            candidates.push((entry, score));
                        }
                        continue;
                    }
                }
            }
            if !candidates.iter().any(|(candidate, _)| *candidate == target) {
                candidates.push((target, score));
            }
        }
        candidates
    }
}

fn cut_to_chars(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((byte_position, _)) => &text[..byte_position],
        None => text,
    }
}

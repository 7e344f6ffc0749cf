//! Labelled question sets: parsing them, running them through the engine, and the report.
//!
//! The file format is described in `tests/questions/README.md`. Parsing takes the file's text
//! (the CLI reads the file); running takes an [`Engine`]. The same code serves `citebot eval`
//! and `cargo test`, so both measure the same thing.

use serde::Deserialize;

use crate::compose::{Reply, Status, plain_text};
use crate::engine::Engine;
use crate::text::tokenize;

/// Gates of `citebot eval` (`[eval]` in `config/citebot.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalThresholds {
    pub min_answer_accuracy: f64,
    pub min_out_of_scope_abstention: f64,
    pub min_near_miss_abstention: f64,
    pub min_smalltalk_accuracy: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    Answer {
        sources: Vec<String>,
        has: Vec<String>,
        entries: Vec<String>,
    },
    OutOfScope,
    NearMiss,
    Smalltalk,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub line: usize,
    pub question: String,
    pub expectation: Expectation,
}

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {problem}")]
pub struct QuestionSetError {
    pub file: String,
    pub line: usize,
    pub problem: String,
}

/// Parses a question set; the first malformed line is an error naming it.
pub fn parse_question_set(file: &str, text: &str) -> Result<Vec<Case>, QuestionSetError> {
    let mut cases = Vec::new();
    for (position, raw_line) in text.lines().enumerate() {
        let line = position + 1;
        let trimmed = raw_line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let problem = |problem: String| QuestionSetError {
            file: file.to_string(),
            line,
            problem,
        };
        let Some((label, question)) = trimmed.split_once('|') else {
            return Err(problem("expected `<expectation> | <question>`".into()));
        };
        let question = question.trim();
        if question.is_empty() {
            return Err(problem("empty question".into()));
        }
        let expectation = parse_expectation(label.trim()).map_err(problem)?;
        cases.push(Case {
            line,
            question: question.to_string(),
            expectation,
        });
    }
    Ok(cases)
}

fn parse_expectation(label: &str) -> Result<Expectation, String> {
    let mut words = label.split_whitespace();
    match words.next() {
        Some("none") => Ok(Expectation::OutOfScope),
        Some("near") => Ok(Expectation::NearMiss),
        Some("smalltalk") => Ok(Expectation::Smalltalk),
        Some("answer") => {
            let mut sources = Vec::new();
            let mut has = Vec::new();
            let mut entries = Vec::new();
            for word in words {
                let list = |value: &str| -> Vec<String> {
                    value
                        .split(',')
                        .filter(|item| !item.is_empty())
                        .map(str::to_string)
                        .collect()
                };
                if let Some(value) = word.strip_prefix("source=") {
                    sources.extend(list(value));
                } else if let Some(value) = word.strip_prefix("has=") {
                    has.extend(list(value));
                } else if let Some(value) = word.strip_prefix("entry=") {
                    entries.extend(list(value));
                } else {
                    return Err(format!("unknown label part `{word}`"));
                }
            }
            if sources.is_empty() && entries.is_empty() {
                return Err("an `answer` needs source= (or entry=)".into());
            }
            Ok(Expectation::Answer {
                sources,
                has,
                entries,
            })
        }
        other => Err(format!(
            "unknown expectation `{}` (answer, none, near or smalltalk)",
            other.unwrap_or("")
        )),
    }
}

/// One case's result.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub case: Case,
    pub status: Status,
    pub target_id: Option<String>,
    pub score: f64,
    pub cited_articles: Vec<String>,
    pub correct: bool,
    /// Why it is wrong, when it is.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub total: usize,
    pub right: usize,
}

impl Tally {
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.right as f64 / self.total as f64
        }
    }

    fn add(&mut self, right: bool) {
        self.total += 1;
        if right {
            self.right += 1;
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub answerable: Tally,
    pub out_of_scope: Tally,
    pub near_miss: Tally,
    pub smalltalk: Tally,
    /// Answers (of any case) given without a citation carrying a publication date.
    pub answers_without_dated_citation: usize,
    pub results: Vec<CaseResult>,
}

impl Report {
    /// The gates that fail, in words; empty when the run passes.
    pub fn failed_gates(&self, thresholds: &EvalThresholds) -> Vec<String> {
        let mut failed = Vec::new();
        let gates = [
            (
                "answer accuracy",
                &self.answerable,
                thresholds.min_answer_accuracy,
            ),
            (
                "out-of-scope abstention",
                &self.out_of_scope,
                thresholds.min_out_of_scope_abstention,
            ),
            (
                "near-miss abstention",
                &self.near_miss,
                thresholds.min_near_miss_abstention,
            ),
            (
                "small-talk accuracy",
                &self.smalltalk,
                thresholds.min_smalltalk_accuracy,
            ),
        ];
        for (name, tally, minimum) in gates {
            if tally.rate() < minimum {
                failed.push(format!(
                    "{name} {:.1} % is below {:.1} %",
                    tally.rate() * 100.0,
                    minimum * 100.0
                ));
            }
        }
        if self.answers_without_dated_citation > 0 {
            failed.push(format!(
                "{} answer(s) without a dated citation",
                self.answers_without_dated_citation
            ));
        }
        failed
    }

    /// The summary printed by `citebot eval`.
    pub fn summary(&self) -> String {
        let line = |name: &str, tally: &Tally| {
            format!(
                "{name:<28} {:>3}/{:<3} {:>6.1} %",
                tally.right,
                tally.total,
                tally.rate() * 100.0
            )
        };
        [
            line("answerable, right + source", &self.answerable),
            line("out of scope, abstained", &self.out_of_scope),
            line("near misses, abstained", &self.near_miss),
            line("small talk", &self.smalltalk),
            format!(
                "{:<28} {:>3}",
                "answers without dated cite", self.answers_without_dated_citation
            ),
        ]
        .join("\n")
    }

    /// The wrong cases, one line each: what was expected, what came.
    pub fn confusions(&self) -> Vec<String> {
        self.results
            .iter()
            .filter(|result| !result.correct)
            .map(|result| {
                format!(
                    "line {}: {} → {} {} ({:.2}) cited [{}]: {}",
                    result.case.line,
                    result.case.question,
                    result.status.as_str(),
                    result.target_id.as_deref().unwrap_or("-"),
                    result.score,
                    result.cited_articles.join(","),
                    result.problem.as_deref().unwrap_or("")
                )
            })
            .collect()
    }
}

/// Normalised form for `has=` checks: folded tokens joined by spaces ("2 000" → "2000").
fn comparable(text: &str) -> String {
    tokenize(text).join(" ")
}

/// Runs every case through the engine.
pub fn run(engine: &Engine, cases: &[Case]) -> Report {
    let mut report = Report::default();
    for case in cases {
        let reply = engine.ask(&case.question);
        if reply.status == Status::Answered
            && (reply.sources.is_empty() || !reply.all_sources_dated())
        {
            report.answers_without_dated_citation += 1;
        }
        let problem = judge(&case.expectation, &reply);
        let correct = problem.is_none();
        match case.expectation {
            Expectation::Answer { .. } => report.answerable.add(correct),
            Expectation::OutOfScope => report.out_of_scope.add(correct),
            Expectation::NearMiss => report.near_miss.add(correct),
            Expectation::Smalltalk => report.smalltalk.add(correct),
        }
        report.results.push(CaseResult {
            case: case.clone(),
            status: reply.status,
            target_id: reply.target_id.clone(),
            score: reply.score,
            cited_articles: reply
                .sources
                .iter()
                .map(|source| source.article_id.clone())
                .collect(),
            correct,
            problem,
        });
    }
    report
}

fn judge(expectation: &Expectation, reply: &Reply) -> Option<String> {
    match expectation {
        Expectation::OutOfScope | Expectation::NearMiss => (reply.status == Status::Answered)
            .then(|| "answered a question the articles do not answer".to_string()),
        Expectation::Smalltalk => {
            (reply.status != Status::Smalltalk).then(|| "expected small talk".to_string())
        }
        Expectation::Answer {
            sources,
            has,
            entries,
        } => {
            if reply.status != Status::Answered {
                return Some("not answered".into());
            }
            if !entries.is_empty()
                && !reply
                    .target_id
                    .as_ref()
                    .is_some_and(|id| entries.contains(id))
            {
                return Some(format!("expected entry {}", entries.join(" or ")));
            }
            if !sources.is_empty()
                && !reply
                    .sources
                    .iter()
                    .any(|source| sources.contains(&source.article_id))
            {
                return Some(format!("expected a citation of {}", sources.join(" or ")));
            }
            let text = comparable(&plain_text(reply));
            let missing: Vec<&str> = has
                .iter()
                .map(String::as_str)
                .filter(|word| !text.contains(&comparable(word)))
                .collect();
            if !missing.is_empty() {
                return Some(format!("answer lacks {}", missing.join(", ")));
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_of_line() {
        let text = "# comment\n\nanswer source=a,b has=x,y | Q1 ?\nnone | Q2\nnear | Q3\nsmalltalk | hi\nanswer entry=e1 | Q4\n";
        let cases = parse_question_set("t.txt", text).unwrap();
        assert_eq!(cases.len(), 5);
        assert_eq!(cases[0].line, 3);
        assert_eq!(
            cases[0].expectation,
            Expectation::Answer {
                sources: vec!["a".into(), "b".into()],
                has: vec!["x".into(), "y".into()],
                entries: vec![],
            }
        );
        assert_eq!(cases[1].expectation, Expectation::OutOfScope);
        assert_eq!(cases[3].question, "hi");
    }

    #[test]
    fn a_malformed_line_is_reported_with_its_number() {
        let error = parse_question_set("t.txt", "none | ok\nanswr | typo\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.to_string().starts_with("t.txt:2:"), "{error}");
        assert!(parse_question_set("t.txt", "answer | no source\n").is_err());
        assert!(parse_question_set("t.txt", "none no pipe\n").is_err());
    }

    #[test]
    fn comparable_text_joins_digit_groups_and_folds() {
        assert!(comparable("environ 2 000 membres d’Africa Corps").contains("2000"));
        assert!(comparable("Kesan, Turquie").contains(&comparable("KESAN")));
    }
}

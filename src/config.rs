//! Settings from `config/citebot.toml`: where the pack is, the matching thresholds, the
//! evaluation gates and the Telegram settings.
//!
//! Reads one file (the edge); the structs it fills are plain data used by the core and the
//! adapters. Unknown keys are errors, so a misspelt threshold never goes unnoticed.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::engine::MatchConfig;
use crate::eval::EvalThresholds;
use crate::telegram::TelegramConfig;

/// The default location, relative to the working directory.
pub const DEFAULT_CONFIG_PATH: &str = "config/citebot.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The knowledge pack folder, relative to the working directory unless absolute.
    #[serde(default = "default_knowledge_dir")]
    pub knowledge_dir: PathBuf,
    pub matching: MatchConfig,
    pub eval: EvalThresholds,
    #[serde(default)]
    pub telegram: TelegramConfig,
}

fn default_knowledge_dir() -> PathBuf {
    PathBuf::from("knowledge")
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "cannot read the configuration file {path}: {source} (run citebot from the repository root, or pass --config PATH, or set CITEBOT_CONFIG)"
    )]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Config::parse(&path.display().to_string(), &text)
    }

    pub fn parse(name: &str, text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|error| ConfigError::Invalid {
            path: name.to_string(),
            message: error.to_string().replace('\n', " "),
        })?;
        config.check().map_err(|message| ConfigError::Invalid {
            path: name.to_string(),
            message,
        })?;
        Ok(config)
    }

    fn check(&self) -> Result<(), String> {
        let matching = &self.matching;
        let unit = [
            ("matching.answer_threshold", matching.answer_threshold),
            (
                "matching.long_question_answer_threshold",
                matching.long_question_answer_threshold,
            ),
            ("matching.clarify_threshold", matching.clarify_threshold),
            ("matching.smalltalk_threshold", matching.smalltalk_threshold),
            ("matching.gap_threshold", matching.gap_threshold),
            ("matching.gap_margin", matching.gap_margin),
            ("matching.gap_clear_lead", matching.gap_clear_lead),
            ("matching.context_weight", matching.context_weight),
            ("matching.max_unknown_share", matching.max_unknown_share),
            (
                "matching.short_question_max_unknown_share",
                matching.short_question_max_unknown_share,
            ),
            (
                "matching.document_coverage_weight",
                matching.document_coverage_weight,
            ),
            (
                "matching.corrected_term_weight",
                matching.corrected_term_weight,
            ),
            ("matching.statement_factor", matching.statement_factor),
            ("matching.bag_weight", matching.bag_weight),
            ("matching.min_coverage", matching.min_coverage),
            (
                "matching.long_question_clear_lead",
                matching.long_question_clear_lead,
            ),
            (
                "matching.long_question_lead_min_score",
                matching.long_question_lead_min_score,
            ),
            (
                "matching.long_question_min_coverage",
                matching.long_question_min_coverage,
            ),
            (
                "matching.long_question_bag_weight",
                matching.long_question_bag_weight,
            ),
            ("matching.ambiguity_margin", matching.ambiguity_margin),
            ("matching.claim_fold_margin", matching.claim_fold_margin),
        ];
        for (name, value) in unit {
            if !(0.0..=1.0).contains(&value) {
                return Err(format!("{name} = {value} must be between 0 and 1"));
            }
        }
        if matching.clarify_threshold > matching.answer_threshold
            || matching.clarify_threshold > matching.long_question_answer_threshold
        {
            return Err(
                "matching.clarify_threshold must not exceed matching.answer_threshold nor matching.long_question_answer_threshold".into(),
            );
        }
        // Above 1 turns the rule off; below the gap threshold it would let weak gaps win.
        if !matching.gap_asked_as_is.is_finite()
            || matching.gap_asked_as_is < matching.gap_threshold
        {
            return Err(format!(
                "matching.gap_asked_as_is = {} must be at least matching.gap_threshold ({}); above 1 turns it off",
                matching.gap_asked_as_is, matching.gap_threshold
            ));
        }
        if matching.max_question_chars == 0 {
            return Err("matching.max_question_chars must be positive".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_configuration_parses() {
        let text = include_str!("../config/citebot.toml");
        let config = Config::parse("config/citebot.toml", text).expect("shipped config");
        assert!(config.matching.answer_threshold > config.matching.clarify_threshold);
    }

    #[test]
    fn a_misspelt_key_is_refused_with_its_name() {
        let text =
            include_str!("../config/citebot.toml").replace("answer_threshold", "answer_treshold");
        let error = Config::parse("x.toml", &text).unwrap_err().to_string();
        assert!(error.contains("answer_treshold"), "{error}");
    }
}

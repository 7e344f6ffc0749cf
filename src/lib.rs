//! citebot: answers questions about a curated set of news articles, citing the article and its
//! date in every answer, and says so when the articles don't hold the answer.
//!
//! The pure core is [`text`] → [`index`] → [`engine`] → [`compose`], over the validated
//! [`knowledge`] pack. The edges are [`files`] (reads the pack), [`config`] (reads settings),
//! [`cli`] (the terminal) and [`telegram`] (the bot). See ARCHITECTURE.md.

pub mod cards;
pub mod cli;
pub mod compose;
pub mod config;
pub mod engine;
pub mod eval;
pub mod files;
pub mod focus;
pub mod index;
pub mod knowledge;
pub mod telegram;
pub mod text;

use std::path::Path;

/// Loads the pack at `folder` and builds an engine with `config`'s thresholds.
pub fn load_engine(
    folder: &Path,
    config: &engine::MatchConfig,
) -> Result<engine::Engine, knowledge::PackError> {
    let pack = files::load_pack(folder)?;
    Ok(engine::Engine::new(pack, config.clone()))
}

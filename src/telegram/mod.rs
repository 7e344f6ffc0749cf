//! The Telegram adapter (being written: see issue 3).

use serde::Deserialize;

/// `[telegram]` in `config/citebot.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelegramConfig {}

/// Options of `citebot serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {}

pub fn serve(
    _args: ServeArgs,
    _config: crate::config::Config,
    _engine: crate::engine::Engine,
) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("the Telegram adapter is not built yet")
}

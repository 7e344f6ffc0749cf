//! Shared helpers of the Telegram end-to-end tests: the fake Bot API, the bot process, and
//! update builders. Each test binary uses a different subset.
#![allow(dead_code, unused_imports)]

pub mod bot_process;
pub mod fake_api;
pub mod updates;

use std::time::Duration;

pub use bot_process::{BotProcess, Launch, TOKEN};
pub use fake_api::{BOT_USERNAME, Call, FakeApi};

/// A fake API and the bot polling it.
pub fn bot(name: &str) -> (FakeApi, BotProcess) {
    let fake = FakeApi::start(TOKEN);
    let bot = BotProcess::start(&fake.url(), name);
    (fake, bot)
}

/// Generous bound for anything the bot should do "soon".
pub const SOON: Duration = Duration::from_secs(30);

/// The engine the bot runs, for tests that need to know what it would answer.
pub fn engine() -> citebot::engine::Engine {
    let repo = bot_process::repo();
    let config = citebot::config::Config::load(&repo.join("config/citebot.toml")).expect("config");
    citebot::load_engine(&repo.join("knowledge"), &config.matching).expect("pack")
}

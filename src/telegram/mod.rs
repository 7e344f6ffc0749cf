//! The Telegram adapter: `citebot serve` puts the answer engine on Telegram (teloxide).
//!
//! This module reads the token and settings, builds the bot (teloxide `Throttle` in front of
//! every call), registers the command menus, picks long polling (default) or a webhook, runs
//! the dispatcher over [`handlers::schema`] and stops gracefully on SIGINT or SIGTERM.
//!
//! A thin translation layer: it knows Telegram and the engine's public API, never the pack's
//! content or how answers are chosen. Codemap:
//! - [`handlers`]: the handler tree and endpoints (updates → engine calls → messages);
//! - [`commands`]: the command enum, its menus, and "is this group message for us?";
//! - [`replies`]: replies, command texts and inline cards as HTML messages with buttons;
//! - [`html`]: escaping and cutting messages at 4096 characters;
//! - [`delivery`]: sending with 429 waits and network retries;
//! - [`flood`]: per-user flood control;
//! - [`callback`]: button data;
//! - [`webhook`]: the webhook server with its health endpoint;
//! - [`error`]: the layer's error type and token redaction.

pub mod callback;
pub mod commands;
pub mod delivery;
pub mod error;
pub mod flood;
pub mod handlers;
pub mod html;
pub mod replies;
pub mod webhook;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use teloxide::adaptors::Throttle;
use teloxide::adaptors::throttle::{Limits, Settings};
use teloxide::dispatching::Dispatcher;
use teloxide::prelude::*;
use teloxide::types::BotCommandScope;
use teloxide::update_listeners::Polling;

use delivery::{TgBot, with_retry};
use error::TelegramError;
use handlers::{LogErrors, LogListenerErrors, Shared, ignore_update, schema};

/// `[telegram]` in `config/citebot.toml`. Every key is optional; see the comments there.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TelegramConfig {
    /// Long polling: how long one getUpdates call waits for news, in seconds.
    pub poll_timeout_secs: u32,
    /// Outgoing limits given to teloxide's `Throttle`.
    pub messages_per_sec_chat: u32,
    pub messages_per_min_chat: u32,
    /// Per group or supergroup (teloxide's default of 10 is stricter than Telegram's 20).
    pub messages_per_min_group: u32,
    pub messages_per_sec_overall: u32,
    /// Per-user flood control: more than this many questions within the window… (0: off)
    pub flood_max_questions: usize,
    pub flood_window_secs: u64,
    /// …gets one notice, then silence for this long.
    pub flood_mute_secs: u64,
    /// Inline mode: at most this many cards, cached by Telegram this long.
    pub inline_max_results: usize,
    pub inline_cache_secs: u32,
    /// Attempts per Bot API call on network errors (429s are always waited out).
    pub send_attempts: u32,
    /// On SIGINT/SIGTERM, how long in-flight replies may take before the process exits.
    pub shutdown_grace_secs: u64,
    /// Add the question text to the per-question log line (off by default).
    pub log_question_text: bool,
    /// Webhook mode: the address the HTTP server listens on.
    pub webhook_listen: String,
}

impl Default for TelegramConfig {
    fn default() -> TelegramConfig {
        TelegramConfig {
            poll_timeout_secs: 10,
            messages_per_sec_chat: 1,
            messages_per_min_chat: 20,
            messages_per_min_group: 20,
            messages_per_sec_overall: 30,
            flood_max_questions: 12,
            flood_window_secs: 60,
            flood_mute_secs: 120,
            inline_max_results: 3,
            inline_cache_secs: 300,
            send_attempts: 5,
            shutdown_grace_secs: 5,
            log_question_text: false,
            webhook_listen: "0.0.0.0:8080".to_string(),
        }
    }
}

impl TelegramConfig {
    fn check(&self) -> Result<(), String> {
        let positive = [
            ("messages_per_sec_chat", self.messages_per_sec_chat),
            ("messages_per_min_chat", self.messages_per_min_chat),
            ("messages_per_min_group", self.messages_per_min_group),
            ("messages_per_sec_overall", self.messages_per_sec_overall),
            ("send_attempts", self.send_attempts),
        ];
        for (name, value) in positive {
            if value == 0 {
                return Err(format!("telegram.{name} must be at least 1"));
            }
        }
        if !(1..=50).contains(&self.inline_max_results) {
            return Err("telegram.inline_max_results must be between 1 and 50".into());
        }
        if self.poll_timeout_secs > 50 {
            return Err("telegram.poll_timeout_secs must be at most 50".into());
        }
        Ok(())
    }

    fn limits(&self) -> Limits {
        Limits {
            messages_per_sec_chat: self.messages_per_sec_chat,
            messages_per_min_chat: self.messages_per_min_chat,
            messages_per_min_channel_or_supergroup: self.messages_per_min_group,
            messages_per_sec_overall: self.messages_per_sec_overall,
        }
    }
}

/// Options of `citebot serve`. Without `--webhook-url`, the bot uses long polling.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Receive updates on this public HTTPS URL (webhook mode) instead of long polling. The
    /// secret token comes from CITEBOT_WEBHOOK_SECRET.
    #[arg(long, env = "CITEBOT_WEBHOOK_URL")]
    pub webhook_url: Option<url::Url>,
    /// Webhook mode: the address to listen on (default: `webhook_listen` in [telegram]).
    #[arg(long, env = "CITEBOT_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Webhook mode: do not call setWebhook at start-up (it is registered elsewhere).
    #[arg(long)]
    pub no_set_webhook: bool,
}

/// Environment variables of the adapter.
pub const TOKEN_VAR: &str = "TELOXIDE_TOKEN";
pub const API_URL_VAR: &str = "TELOXIDE_API_URL";
pub const WEBHOOK_URL_VAR: &str = "CITEBOT_WEBHOOK_URL";
pub const WEBHOOK_SECRET_VAR: &str = "CITEBOT_WEBHOOK_SECRET";

/// `citebot serve`: runs the bot until SIGINT or SIGTERM.
pub fn serve(
    args: ServeArgs,
    config: crate::config::Config,
    engine: crate::engine::Engine,
) -> anyhow::Result<ExitCode> {
    if let Err(error) = dotenvy::dotenv()
        && !error.not_found()
    {
        tracing::warn!(error = %error, "cannot read .env; using the environment only");
    }
    let token = std::env::var(TOKEN_VAR)
        .ok()
        .map(|token| token.trim().to_string())
        .filter(|token| !token.is_empty())
        .ok_or(TelegramError::MissingToken)?;
    error::remember_token(&token);
    let settings = config.telegram.clone();
    settings
        .check()
        .map_err(|message| anyhow::anyhow!("config [telegram]: {message}"))?;
    let mut args = args;
    if args.webhook_url.is_none()
        && let Ok(value) = std::env::var(WEBHOOK_URL_VAR)
        && !value.trim().is_empty()
    {
        // Read again after .env was loaded (clap read the environment before).
        let url = value
            .trim()
            .parse()
            .map_err(|error| TelegramError::Webhook(format!("{WEBHOOK_URL_VAR}: {error}")))?;
        args.webhook_url = Some(url);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("citebot-telegram")
        .build()
        .map_err(|error| TelegramError::Runtime(error.to_string()))?;
    let outcome = runtime.block_on(run(args, settings, engine, token));
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(outcome?)
}

fn build_bot(token: &str, settings: &TelegramConfig) -> Result<Bot, TelegramError> {
    // The HTTP timeout must outlast a long poll.
    let client = teloxide::net::default_reqwest_settings()
        .timeout(Duration::from_secs(
            u64::from(settings.poll_timeout_secs) + 10,
        ))
        .build()
        .map_err(|error| TelegramError::Runtime(error::redact(&error.to_string())))?;
    let bot = Bot::with_client(token, client);
    match std::env::var(API_URL_VAR) {
        Ok(value) if !value.trim().is_empty() => {
            let url = url::Url::parse(value.trim())
                .map_err(|error| TelegramError::BadApiUrl(format!("{value}: {error}")))?;
            Ok(bot.set_api_url(url))
        }
        _ => Ok(bot),
    }
}

async fn run(
    args: ServeArgs,
    settings: TelegramConfig,
    engine: crate::engine::Engine,
    token: String,
) -> Result<ExitCode, TelegramError> {
    let attempts = settings.send_attempts;
    let plain = build_bot(&token, &settings)?;
    let bot: TgBot =
        Throttle::spawn_with_settings(plain, Settings::default().limits(settings.limits()));

    let me = with_retry("getMe", attempts, || bot.get_me().send())
        .await
        .map_err(|error| match error {
            teloxide::RequestError::Api(api) => TelegramError::TokenRefused(api.to_string()),
            other => TelegramError::from(other),
        })?;
    tracing::info!(bot = %me.username(), "connected to Telegram");
    register_commands(&bot, attempts).await;

    let shared = Arc::new(Shared::new(engine, settings.clone()));
    let mut dispatcher = Dispatcher::builder(bot.clone(), schema())
        .dependencies(dptree::deps![shared])
        .default_handler(ignore_update)
        .error_handler(Arc::new(LogErrors))
        .distribution_function(|update: &Update| {
            update
                .chat()
                .map(|chat| chat.id)
                .or_else(|| update.from().map(|user| ChatId(user.id.0 as i64)))
        })
        .build();

    let (signalled_tx, signalled_rx) = tokio::sync::oneshot::channel::<()>();
    let shutdown = dispatcher.shutdown_token();
    tokio::spawn(async move {
        let signal = wait_for_signal().await;
        tracing::info!(signal, "shutting down");
        let _ = signalled_tx.send(());
        loop {
            match shutdown.shutdown() {
                Ok(stopped) => {
                    stopped.await;
                    break;
                }
                // Not dispatching yet (still starting): try again shortly.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    });
    let grace = Duration::from_secs(settings.shutdown_grace_secs);
    let deadline = async move {
        if signalled_rx.await.is_ok() {
            tokio::time::sleep(grace).await;
        } else {
            std::future::pending::<()>().await;
        }
    };

    let dispatching = async {
        match &args.webhook_url {
            None => {
                drop_webhook_for_polling(&bot, attempts).await;
                let listener = Polling::builder(bot.clone())
                    .timeout(Duration::from_secs(u64::from(settings.poll_timeout_secs)))
                    .build();
                tracing::info!(mode = "long polling", "serving");
                dispatcher
                    .try_dispatch_with_listener(listener, Arc::new(LogListenerErrors))
                    .await
                    .map_err(TelegramError::from)
            }
            Some(url) => {
                let listen = match args.listen {
                    Some(address) => address,
                    None => settings.webhook_listen.parse().map_err(|error| {
                        TelegramError::Webhook(format!(
                            "telegram.webhook_listen = {:?}: {error}",
                            settings.webhook_listen
                        ))
                    })?,
                };
                let options = webhook::WebhookSettings {
                    url: url.clone(),
                    listen,
                    secret: webhook::secret_from_env()?,
                    register: !args.no_set_webhook,
                    attempts,
                };
                let listener = webhook::start(&bot, options).await?;
                tracing::info!(mode = "webhook", %listen, "serving");
                dispatcher
                    .try_dispatch_with_listener(listener, Arc::new(LogListenerErrors))
                    .await
                    .map_err(TelegramError::from)
            }
        }
    };

    tokio::select! {
        result = dispatching => result?,
        () = deadline => {
            tracing::warn!(grace_secs = grace.as_secs(), "replies still in flight after the grace period; exiting anyway");
        }
    }
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// The command menu, in French for everyone and in English for English-speaking users.
/// A failure is logged, not fatal: the bot answers without a menu.
async fn register_commands(bot: &TgBot, attempts: u32) {
    let french = with_retry("setMyCommands", attempts, || {
        bot.set_my_commands(commands::french_menu())
            .scope(BotCommandScope::Default)
            .send()
    })
    .await;
    let english = with_retry("setMyCommands", attempts, || {
        bot.set_my_commands(commands::english_menu())
            .scope(BotCommandScope::Default)
            .language_code("en")
            .send()
    })
    .await;
    for result in [french, english] {
        if let Err(error) = result {
            tracing::warn!(error = %TelegramError::from(error), "cannot register the command menu");
        }
    }
}

/// Long polling does not work while a webhook is set: remove it (only in polling mode).
async fn drop_webhook_for_polling(bot: &TgBot, attempts: u32) {
    let info = with_retry("getWebhookInfo", attempts, || bot.get_webhook_info().send()).await;
    match info {
        Ok(info) if info.url.is_none() => {}
        Ok(_) => {
            tracing::info!("a webhook is set; deleting it to use long polling");
            if let Err(error) =
                with_retry("deleteWebhook", attempts, || bot.delete_webhook().send()).await
            {
                tracing::warn!(error = %TelegramError::from(error), "cannot delete the webhook");
            }
        }
        Err(error) => {
            tracing::warn!(error = %TelegramError::from(error), "cannot read the webhook settings");
        }
    }
}

/// Waits for SIGINT (Ctrl-C) or SIGTERM (what Docker sends); returns its name.
async fn wait_for_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => "SIGINT",
                    _ = terminate.recv() => "SIGTERM",
                }
            }
            Err(error) => {
                tracing::warn!(error = %error, "cannot listen for SIGTERM; only SIGINT stops the bot");
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "SIGINT"
    }
}

//! Webhook mode: an HTTP server (teloxide's axum listener) receiving updates on the webhook
//! URL's path, checking Telegram's secret token header, plus `GET /healthz` for probes.
//!
//! Made for operators behind HTTPS or running several replicas: the secret is fixed (from
//! CITEBOT_WEBHOOK_SECRET) so that every replica accepts the same calls, setWebhook at
//! start-up is idempotent (or skipped with `--no-set-webhook`), and the webhook is never
//! deleted on shutdown, so one replica stopping does not cut off the others. Knows nothing
//! of the handlers or the engine.

use std::net::SocketAddr;

use teloxide::prelude::*;
use teloxide::types::AllowedUpdate;
use teloxide::update_listeners::UpdateListener;
use teloxide::update_listeners::webhooks::{Options, axum_no_setup};

use super::WEBHOOK_SECRET_VAR;
use super::delivery::{TgBot, with_retry};
use super::error::TelegramError;

/// The health endpoint's path.
pub const HEALTH_PATH: &str = "/healthz";

#[derive(Debug, Clone)]
pub struct WebhookSettings {
    pub url: url::Url,
    pub listen: SocketAddr,
    pub secret: String,
    /// Call setWebhook at start-up.
    pub register: bool,
    pub attempts: u32,
}

/// The secret token from the environment: 1–256 characters among `A-Z a-z 0-9 _ -`.
pub fn secret_from_env() -> Result<String, TelegramError> {
    let secret = std::env::var(WEBHOOK_SECRET_VAR).unwrap_or_default();
    check_secret(secret.trim()).map(str::to_string)
}

fn check_secret(secret: &str) -> Result<&str, TelegramError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if secret.is_empty() || secret.len() > 256 || !secret.chars().all(allowed) {
        return Err(TelegramError::Webhook(format!(
            "set {WEBHOOK_SECRET_VAR} to 1–256 characters among A-Z, a-z, 0-9, _ and - (the same value on every replica)"
        )));
    }
    Ok(secret)
}

/// Registers the webhook (unless told not to), starts the HTTP server and returns the
/// update listener. The server stops when the listener is stopped.
pub async fn start(
    bot: &TgBot,
    settings: WebhookSettings,
) -> Result<impl UpdateListener<Err = std::convert::Infallible> + use<>, TelegramError> {
    if settings.register {
        with_retry("setWebhook", settings.attempts, || {
            bot.set_webhook(settings.url.clone())
                .secret_token(settings.secret.clone())
                .allowed_updates(vec![
                    AllowedUpdate::Message,
                    AllowedUpdate::CallbackQuery,
                    AllowedUpdate::InlineQuery,
                ])
                .send()
        })
        .await?;
        tracing::info!("webhook registered with Telegram");
    }
    let options = Options::new(settings.listen, settings.url.clone()).secret_token(settings.secret);
    let (listener, stopped, router) = axum_no_setup(options);
    let router = router.route(HEALTH_PATH, axum::routing::get(|| async { "ok" }));
    let tcp = tokio::net::TcpListener::bind(settings.listen)
        .await
        .map_err(|error| {
            TelegramError::Webhook(format!("cannot listen on {}: {error}", settings.listen))
        })?;
    tokio::spawn(async move {
        let served = axum::serve(tcp, router)
            .with_graceful_shutdown(stopped)
            .await;
        if let Err(error) = served {
            tracing::error!(error = %error, "the webhook server stopped");
        }
    });
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_checked_like_telegram_does() {
        for good in ["a", "A-b_9", &"x".repeat(256)] {
            assert!(check_secret(good).is_ok(), "{good}");
        }
        for bad in ["", "with space", "é", "a/b", &"x".repeat(257)] {
            assert!(check_secret(bad).is_err(), "{bad}");
        }
    }
}

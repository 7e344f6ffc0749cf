//! The one error type of the Telegram adapter, and token redaction.
//!
//! Every error that leaves this layer goes through [`redact`] first: errors from the HTTP
//! client carry the request URL, and Bot API URLs hold the token (`/bot<token>/SendMessage`).
//! This module knows the token only as an opaque secret to hide; it knows nothing of
//! questions, replies or the engine.

use std::sync::OnceLock;

use teloxide::RequestError;

/// What the token is replaced with in any text that may reach a log.
pub const REDACTED: &str = "<redacted>";

static TOKEN: OnceLock<String> = OnceLock::new();

/// Remembers the token so that [`redact`] can hide it anywhere it appears. Called once, at
/// start-up; later calls are ignored.
pub fn remember_token(token: &str) {
    let _ = TOKEN.set(token.to_string());
}

/// Hides the bot token in `text`: the literal token if known, and whatever follows `/bot` in
/// a Bot API path, up to the next `/` (so a token is hidden even if it was never remembered).
pub fn redact(text: &str) -> String {
    let mut text = text.to_string();
    if let Some(token) = TOKEN.get().filter(|token| !token.is_empty()) {
        text = text.replace(token.as_str(), REDACTED);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(position) = rest.find("/bot") {
        let (before, after) = rest.split_at(position + "/bot".len());
        out.push_str(before);
        let end = after
            .find(|c: char| c == '/' || c.is_whitespace() || c == ')' || c == '"')
            .unwrap_or(after.len());
        let secret = &after[..end];
        if secret.contains(':') || secret.starts_with(REDACTED) || secret.contains("%3A") {
            out.push_str(REDACTED);
        } else {
            out.push_str(secret);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[derive(Debug, thiserror::Error)]
pub enum TelegramError {
    #[error(
        "TELOXIDE_TOKEN is not set. Create a bot with @BotFather (https://t.me/BotFather, command /newbot), \
         then put its token in TELOXIDE_TOKEN, in the environment or in a .env file (see .env.example), \
         and run `citebot serve` again. To try the answers without Telegram, run `citebot chat`."
    )]
    MissingToken,
    #[error(
        "Telegram refused the token in TELOXIDE_TOKEN ({0}). Check it with @BotFather (/mybots → API Token)."
    )]
    TokenRefused(String),
    #[error("TELOXIDE_API_URL is not a valid URL: {0}")]
    BadApiUrl(String),
    #[error("webhook mode: {0}")]
    Webhook(String),
    /// A Bot API call failed; the text is already redacted.
    #[error("Telegram request failed: {0}")]
    Request(String),
    #[error("cannot start the Telegram runtime: {0}")]
    Runtime(String),
    /// A handler panicked; the update was dropped, the others go on.
    #[error("a handler panicked on an update: {0}")]
    Panic(String),
}

impl TelegramError {
    /// Whether retrying the same request later may succeed (network trouble, flood wait).
    pub fn is_transient(error: &RequestError) -> bool {
        matches!(
            error,
            RequestError::Network(_) | RequestError::Io(_) | RequestError::RetryAfter(_)
        )
    }
}

impl From<RequestError> for TelegramError {
    fn from(error: RequestError) -> TelegramError {
        TelegramError::Request(redact(&error.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bot_api_url_loses_its_token() {
        let text =
            "error sending request for url (http://127.0.0.1:9/bot123456:AAH-secret_x/GetUpdates)";
        let redacted = redact(text);
        assert!(!redacted.contains("AAH-secret_x"), "{redacted}");
        assert!(!redacted.contains("123456:"), "{redacted}");
        assert!(redacted.contains("/bot<redacted>/GetUpdates"), "{redacted}");
    }

    #[test]
    fn a_percent_encoded_token_is_hidden_too() {
        let redacted = redact("url: https://api.telegram.org/bot42%3Asecret/GetMe");
        assert!(!redacted.contains("secret"), "{redacted}");
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for text in [
            "",
            "a robot /bottle",
            "no url here",
            "/bot",
            "éàü /botanique/x",
        ] {
            assert_eq!(redact(text), text);
        }
    }
}

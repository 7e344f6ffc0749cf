//! Getting messages to Telegram despite flood waits and flaky networks.
//!
//! A 429 (`retry_after`) is waited out and the same request sent again, so the message is
//! delivered, not dropped; network errors are retried with exponential backoff, a bounded
//! number of times; anything else (a bad request) fails at once. teloxide's `Throttle`, in
//! front of every call, already spaces messages to stay within Telegram's limits.
//!
//! Knows Bot API requests and errors; knows nothing of what the messages say.

use std::future::Future;
use std::time::Duration;

use teloxide::RequestError;
use teloxide::adaptors::Throttle;
use teloxide::prelude::*;
use teloxide::types::{MessageId, ParseMode, ReplyParameters};

use super::error::{TelegramError, redact};
use super::replies::{Outgoing, no_link_preview};

/// The bot as every handler uses it: rate-limited by teloxide's `Throttle`.
pub type TgBot = Throttle<Bot>;

/// How many 429s in a row one request may wait out before giving up.
const MAX_FLOOD_WAITS: u32 = 10;
/// Longest single wait between network retries.
const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// The wait before network retry number `failures` (1-based): 0.5 s, 1 s, 2 s… up to 8 s.
pub fn backoff(failures: u32) -> Duration {
    let exponent = failures.saturating_sub(1).min(10);
    Duration::from_millis(500u64.saturating_mul(1 << exponent)).min(MAX_BACKOFF)
}

/// Runs `call` until it succeeds, waiting out 429s and retrying network errors up to
/// `attempts` times in all. The error, if any, is Telegram's last answer (convert it to a
/// [`TelegramError`] to have it redacted).
pub async fn with_retry<T, F, Fut>(
    what: &'static str,
    attempts: u32,
    mut call: F,
) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut failures = 0u32;
    let mut flood_waits = 0u32;
    loop {
        match call().await {
            Ok(value) => return Ok(value),
            Err(RequestError::RetryAfter(wait)) if flood_waits < MAX_FLOOD_WAITS => {
                flood_waits += 1;
                tracing::warn!(
                    method = what,
                    retry_after_secs = wait.seconds(),
                    "Telegram asked to slow down (429); waiting, then sending again"
                );
                tokio::time::sleep(wait.duration()).await;
            }
            Err(error @ (RequestError::Network(_) | RequestError::Io(_)))
                if failures + 1 < attempts.max(1) =>
            {
                failures += 1;
                let delay = backoff(failures);
                tracing::warn!(
                    method = what,
                    attempt = failures,
                    retry_in_ms = delay.as_millis() as u64,
                    error = %redact(&error.to_string()),
                    "network error; retrying"
                );
                tokio::time::sleep(delay).await;
            }
            Err(error) => return Err(error),
        }
    }
}

/// Sends `outgoing` to `chat`: every message in HTML with link previews off, the first one
/// threaded to `reply_to` when given, the keyboard on the last one.
pub async fn send(
    bot: &TgBot,
    chat: ChatId,
    outgoing: &Outgoing,
    reply_to: Option<MessageId>,
    attempts: u32,
) -> Result<(), TelegramError> {
    let count = outgoing.messages.len();
    for (position, text) in outgoing.messages.iter().enumerate() {
        let threaded = if position == 0 { reply_to } else { None };
        let keyboard = if position + 1 == count {
            outgoing.keyboard.clone()
        } else {
            None
        };
        with_retry("sendMessage", attempts, || {
            let mut request = bot
                .send_message(chat, text.clone())
                .parse_mode(ParseMode::Html)
                .link_preview_options(no_link_preview());
            if let Some(message) = threaded {
                request = request
                    .reply_parameters(ReplyParameters::new(message).allow_sending_without_reply());
            }
            if let Some(markup) = keyboard.clone() {
                request = request.reply_markup(markup);
            }
            request.send()
        })
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_then_stays_bounded() {
        let waits: Vec<u64> = (1..=8).map(|n| backoff(n).as_millis() as u64).collect();
        assert_eq!(waits, vec![500, 1000, 2000, 4000, 8000, 8000, 8000, 8000]);
        assert_eq!(backoff(u32::MAX), MAX_BACKOFF);
    }
}

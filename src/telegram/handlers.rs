//! The handler tree: which update goes where ([`schema`]), and the endpoints that turn an
//! update into engine calls and the engine's replies into messages.
//!
//! Private chats get an answer to every text; groups only when addressed (see
//! [`super::commands::in_group`]); buttons and inline queries are answered from the engine
//! too. Each endpoint runs isolated: an error or even a panic is logged (redacted) and the
//! other updates go on. Holds no domain logic: what to answer is the engine's, how it looks
//! is [`super::replies`]'s.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::FutureExt;
use futures::future::BoxFuture;
use teloxide::dispatching::UpdateFilterExt;
use teloxide::error_handlers::ErrorHandler;
use teloxide::prelude::*;
use teloxide::types::{Me, MessageId, User};

use crate::compose::Reply;
use crate::engine::Engine;
use crate::text::Lang;

use super::TelegramConfig;
use super::callback::Action;
use super::commands::{Addressed, Command, in_group};
use super::delivery::{TgBot, send, with_retry};
use super::error::{TelegramError, redact};
use super::flood::{FloodGate, Verdict};
use super::replies::{self, Outgoing, lang_hint};

pub type HandlerResult = Result<(), TelegramError>;
pub type UpdateHandler = teloxide::dispatching::UpdateHandler<TelegramError>;

/// What every handler shares (through `dptree::deps!`).
#[derive(Debug)]
pub struct Shared {
    pub engine: Engine,
    pub settings: TelegramConfig,
    pub flood: FloodGate,
}

impl Shared {
    pub fn new(engine: Engine, settings: TelegramConfig) -> Shared {
        let flood = FloodGate::new(
            settings.flood_max_questions,
            Duration::from_secs(settings.flood_window_secs),
            Duration::from_secs(settings.flood_mute_secs),
        );
        Shared {
            engine,
            settings,
            flood,
        }
    }
}

/// The whole handler tree.
pub fn schema() -> UpdateHandler {
    let private = Update::filter_message()
        .filter(|message: Message| message.chat.is_private())
        .branch(
            dptree::entry()
                .filter_command::<Command>()
                .endpoint(private_command),
        )
        .branch(
            dptree::filter_map(|message: Message| message.text().map(str::to_owned))
                .endpoint(private_text),
        )
        .branch(dptree::endpoint(private_other));
    let group = Update::filter_message()
        .filter(|message: Message| message.chat.is_group() || message.chat.is_supergroup())
        .filter_map(|message: Message, me: Me| match in_group(&message, &me) {
            Addressed::Ignore => None,
            addressed => Some(addressed),
        })
        .endpoint(group_message);
    dptree::entry()
        .branch(private)
        .branch(group)
        .branch(Update::filter_callback_query().endpoint(button))
        .branch(Update::filter_inline_query().endpoint(inline_query))
}

/// Updates no branch wants (group chatter, edits, channel posts…): dropped, quietly.
pub fn ignore_update(update: Arc<Update>) -> BoxFuture<'static, ()> {
    Box::pin(async move {
        tracing::debug!(update = update.id.0, "update ignored");
    })
}

/// Logs a failed update (redacted) and lets the dispatcher go on.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogErrors;

impl ErrorHandler<TelegramError> for LogErrors {
    fn handle_error(self: Arc<Self>, error: TelegramError) -> BoxFuture<'static, ()> {
        Box::pin(async move {
            tracing::error!(error = %redact(&error.to_string()), "an update failed; the others go on");
        })
    }
}

/// Logs a failed `getUpdates` (redacted); teloxide's polling retries with backoff.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogListenerErrors;

impl<E: std::fmt::Display + Send + 'static> ErrorHandler<E> for LogListenerErrors {
    fn handle_error(self: Arc<Self>, error: E) -> BoxFuture<'static, ()> {
        Box::pin(async move {
            tracing::warn!(error = %redact(&error.to_string()), "cannot get updates; retrying");
        })
    }
}

fn panic_text(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|text| text.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Runs an endpoint so that a panic becomes an error of this update only.
async fn isolated(future: impl Future<Output = HandlerResult>) -> HandlerResult {
    match AssertUnwindSafe(future).catch_unwind().await {
        Ok(result) => result,
        Err(panic) => Err(TelegramError::Panic(panic_text(panic.as_ref()))),
    }
}

/// Where a question came from, for the log.
#[derive(Debug, Clone, Copy)]
enum Origin {
    Private,
    Group,
    Button,
    Inline,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Private => "private",
            Origin::Group => "group",
            Origin::Button => "button",
            Origin::Inline => "inline",
        }
    }
}

/// One line per question: status, entry, score, latency; the text only if configured.
fn log_question(
    shared: &Shared,
    origin: Origin,
    reply: &Reply,
    question: &str,
    engine_time: Duration,
    started: Instant,
    delivered: bool,
) {
    let entry = reply.target_id.as_deref().unwrap_or("-");
    let score = (reply.score * 1000.0).round() / 1000.0;
    let engine_us = engine_time.as_micros() as u64;
    let total_ms = started.elapsed().as_millis() as u64;
    // `question` is recorded only when the operator asked for it (None leaves the field out).
    let question = shared.settings.log_question_text.then_some(question);
    tracing::info!(
        origin = origin.as_str(),
        status = reply.status.as_str(),
        entry,
        score,
        lang = reply.lang.code(),
        engine_us,
        total_ms,
        delivered,
        question,
        "question"
    );
}

/// Flood control for `user`: `true` to go on; otherwise the one notice has been sent (or
/// silence is kept).
async fn admitted(
    bot: &TgBot,
    shared: &Shared,
    user: Option<&User>,
    chat: Option<(ChatId, Option<MessageId>)>,
    lang: Lang,
) -> Result<bool, TelegramError> {
    let Some(user) = user else {
        return Ok(true);
    };
    match shared.flood.check(user.id.0, Instant::now()) {
        Verdict::Allow => Ok(true),
        Verdict::Notice => {
            tracing::info!(
                mute_secs = shared.settings.flood_mute_secs,
                "flood control: one notice, then silence"
            );
            if let Some((chat, reply_to)) = chat {
                send(
                    bot,
                    chat,
                    &replies::flood_notice(lang),
                    reply_to,
                    shared.settings.send_attempts,
                )
                .await?;
            }
            Ok(false)
        }
        Verdict::Silent => Ok(false),
    }
}

/// Asks the engine and delivers the reply, logging one line.
async fn answer_question(
    bot: &TgBot,
    shared: &Shared,
    origin: Origin,
    chat: ChatId,
    reply_to: Option<MessageId>,
    question: &str,
) -> HandlerResult {
    let started = Instant::now();
    let reply = shared.engine.ask(question);
    let engine_time = started.elapsed();
    let delivered = send(
        bot,
        chat,
        &replies::answer(&reply),
        reply_to,
        shared.settings.send_attempts,
    )
    .await;
    log_question(
        shared,
        origin,
        &reply,
        question,
        engine_time,
        started,
        delivered.is_ok(),
    );
    delivered
}

/// A command, in a private chat or addressed to the bot in a group.
async fn run_command(
    bot: &TgBot,
    shared: &Shared,
    me: &Me,
    message: &Message,
    command: Command,
    origin: Origin,
) -> HandlerResult {
    let lang = lang_hint(
        message
            .from
            .as_ref()
            .and_then(|user| user.language_code.as_deref()),
    );
    let reply_to = match origin {
        Origin::Group => Some(message.id),
        _ => None,
    };
    let engine = &shared.engine;
    let outgoing: Outgoing = match command {
        Command::Ask(question) if !question.trim().is_empty() => {
            return answer_question(bot, shared, origin, message.chat.id, reply_to, &question)
                .await;
        }
        Command::Ask(_) => replies::empty_question(engine, lang),
        Command::Start => replies::start(engine, lang, me.username()),
        Command::Help => replies::help(engine, lang, me.username()),
        Command::Sources => replies::sources(engine, lang),
        Command::About => replies::about(engine, lang),
    };
    send(
        bot,
        message.chat.id,
        &outgoing,
        reply_to,
        shared.settings.send_attempts,
    )
    .await
}

/// The language Telegram reports for the sender (a hint only).
fn sender_lang_hint(message: &Message) -> Lang {
    lang_hint(
        message
            .from
            .as_ref()
            .and_then(|user| user.language_code.as_deref()),
    )
}

/// Flood control for a private message: whether to answer it.
async fn admitted_in_private(
    bot: &TgBot,
    shared: &Arc<Shared>,
    message: &Message,
    lang: Lang,
) -> Result<bool, TelegramError> {
    admitted(
        bot,
        shared,
        message.from.as_ref(),
        Some((message.chat.id, None)),
        lang,
    )
    .await
}

async fn private_command(
    bot: TgBot,
    shared: Arc<Shared>,
    me: Me,
    message: Message,
    command: Command,
) -> HandlerResult {
    isolated(async {
        let lang = sender_lang_hint(&message);
        if !admitted_in_private(&bot, &shared, &message, lang).await? {
            return Ok(());
        }
        run_command(&bot, &shared, &me, &message, command, Origin::Private).await
    })
    .await
}

async fn private_text(
    bot: TgBot,
    shared: Arc<Shared>,
    message: Message,
    text: String,
) -> HandlerResult {
    isolated(async {
        let lang = crate::text::guess_language(&text);
        if !admitted_in_private(&bot, &shared, &message, lang).await? {
            return Ok(());
        }
        if text.starts_with('/') {
            let hint = sender_lang_hint(&message);
            return send(
                &bot,
                message.chat.id,
                &replies::unknown_command(hint),
                None,
                shared.settings.send_attempts,
            )
            .await;
        }
        answer_question(&bot, &shared, Origin::Private, message.chat.id, None, &text).await
    })
    .await
}

/// A sticker, photo, voice message, location… in a private chat.
async fn private_other(bot: TgBot, shared: Arc<Shared>, message: Message) -> HandlerResult {
    isolated(async {
        let lang = sender_lang_hint(&message);
        if !admitted_in_private(&bot, &shared, &message, lang).await? {
            return Ok(());
        }
        tracing::info!(origin = "private", status = "not_text", "non-text message");
        send(
            &bot,
            message.chat.id,
            &replies::text_only(lang),
            None,
            shared.settings.send_attempts,
        )
        .await
    })
    .await
}

/// A group message addressed to the bot; the reply is threaded to it.
async fn group_message(
    bot: TgBot,
    shared: Arc<Shared>,
    me: Me,
    message: Message,
    addressed: Addressed,
) -> HandlerResult {
    isolated(async {
        let hint = sender_lang_hint(&message);
        let lang = match &addressed {
            Addressed::Question(question) if !question.is_empty() => {
                crate::text::guess_language(question)
            }
            Addressed::Command(Command::Ask(question)) if !question.trim().is_empty() => {
                crate::text::guess_language(question)
            }
            _ => hint,
        };
        let thread = Some((message.chat.id, Some(message.id)));
        if !admitted(&bot, &shared, message.from.as_ref(), thread, lang).await? {
            return Ok(());
        }
        match addressed {
            Addressed::Command(command) => {
                run_command(&bot, &shared, &me, &message, command, Origin::Group).await
            }
            Addressed::Question(question) if question.is_empty() => {
                send(
                    &bot,
                    message.chat.id,
                    &replies::empty_question(&shared.engine, lang),
                    Some(message.id),
                    shared.settings.send_attempts,
                )
                .await
            }
            Addressed::Question(question) => {
                answer_question(
                    &bot,
                    &shared,
                    Origin::Group,
                    message.chat.id,
                    Some(message.id),
                    &question,
                )
                .await
            }
            Addressed::Ignore => Ok(()),
        }
    })
    .await
}

/// A button press: a suggestion (answer that id) or "show the quotes".
async fn button(bot: TgBot, shared: Arc<Shared>, query: CallbackQuery) -> HandlerResult {
    isolated(async {
        let attempts = shared.settings.send_attempts;
        let hint = lang_hint(query.from.language_code.as_deref());
        let action = query.data.as_deref().and_then(Action::decode);
        let (id, lang, wants_quotes) = match &action {
            Some(Action::Answer { id, lang }) => (id.as_str(), *lang, false),
            Some(Action::Quotes { id, lang }) => (id.as_str(), *lang, true),
            None => ("", hint, false),
        };
        let started = Instant::now();
        let reply = shared.engine.answer_id(id, lang);
        let engine_time = started.elapsed();
        let Some(reply) = reply else {
            with_retry("answerCallbackQuery", attempts, || {
                bot.answer_callback_query(query.id.clone())
                    .text(replies::expired_button(lang))
                    .send()
            })
            .await?;
            return Ok(());
        };
        // Stop the button's spinner first; the answer follows as a message.
        with_retry("answerCallbackQuery", attempts, || {
            bot.answer_callback_query(query.id.clone()).send()
        })
        .await?;
        let Some(origin_message) = query.message.as_ref() else {
            // A button under an inline message: there is no chat to write to.
            return Ok(());
        };
        let chat = origin_message.chat().id;
        let reply_to = (!origin_message.chat().is_private()).then(|| origin_message.id());
        if !admitted(
            &bot,
            &shared,
            Some(&query.from),
            Some((chat, reply_to)),
            lang,
        )
        .await?
        {
            return Ok(());
        }
        let outgoing = if wants_quotes {
            replies::quotes(&reply)
        } else {
            replies::answer(&reply)
        };
        let delivered = send(&bot, chat, &outgoing, reply_to, attempts).await;
        log_question(
            &shared,
            Origin::Button,
            &reply,
            id,
            engine_time,
            started,
            delivered.is_ok(),
        );
        delivered
    })
    .await
}

/// Inline mode: cards with cited answers; the example questions for an empty query.
async fn inline_query(bot: TgBot, shared: Arc<Shared>, query: InlineQuery) -> HandlerResult {
    isolated(async {
        let settings = &shared.settings;
        let hint = lang_hint(query.from.language_code.as_deref());
        if !admitted(&bot, &shared, Some(&query.from), None, hint).await? {
            return Ok(());
        }
        let started = Instant::now();
        let question = query.query.trim();
        let (cards, reply) = if question.is_empty() {
            (
                replies::example_cards(&shared.engine, hint, settings.inline_max_results),
                None,
            )
        } else {
            let reply = shared.engine.ask(question);
            (
                replies::answer_cards(&shared.engine, &reply, settings.inline_max_results),
                Some(reply),
            )
        };
        let engine_time = started.elapsed();
        let delivered = with_retry("answerInlineQuery", settings.send_attempts, || {
            bot.answer_inline_query(query.id.clone(), cards.clone())
                .cache_time(settings.inline_cache_secs)
                .send()
        })
        .await;
        match &reply {
            Some(reply) => log_question(
                &shared,
                Origin::Inline,
                reply,
                question,
                engine_time,
                started,
                delivered.is_ok(),
            ),
            None => tracing::info!(
                origin = "inline",
                status = "examples",
                cards = cards.len(),
                "question"
            ),
        }
        delivered.map(|_| ()).map_err(TelegramError::from)
    })
    .await
}

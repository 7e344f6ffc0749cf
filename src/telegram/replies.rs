//! What the bot shows: engine replies, command texts and inline cards as Telegram HTML
//! messages with their buttons.
//!
//! Everything here is presentation. The answers, citations and the words that describe the
//! articles come from the engine and the pack (the small-talk entries `bonjour`, `aide`,
//! `qui-es-tu` and `sources` feed /start, /help, /about and /sources; a generic sentence
//! stands in if one is missing). Only the texts about using the bot on Telegram (commands,
//! groups, inline mode, buttons, flood notice) live here, in French and English. No I/O.

use teloxide::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResult, InlineQueryResultArticle,
    InputMessageContent, InputMessageContentText, LinkPreviewOptions, ParseMode,
};

use crate::compose::{Reply, Status, citation_line, render, source_ref};
use crate::engine::Engine;
use crate::text::Lang;

use super::callback::Action;
use super::html::{MESSAGE_LIMIT, TelegramHtml, escape, pack_paragraphs};

/// Small-talk ids of the pack used for the command texts.
const WELCOME_ID: &str = "bonjour";
const HELP_ID: &str = "aide";
const ABOUT_ID: &str = "qui-es-tu";
const SOURCES_ID: &str = "sources";

/// Longest button label, in characters.
const BUTTON_CHARS: usize = 60;

/// One or more HTML messages; the keyboard goes with the last one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outgoing {
    pub messages: Vec<String>,
    pub keyboard: Option<InlineKeyboardMarkup>,
}

impl Outgoing {
    fn from_paragraphs(paragraphs: &[String]) -> Outgoing {
        Outgoing {
            messages: pack_paragraphs(paragraphs, MESSAGE_LIMIT),
            keyboard: None,
        }
    }
}

/// Link previews off: answers cite articles, they do not advertise links.
pub fn no_link_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

/// Telegram's `language_code` as a hint, for texts that have no question to go by.
pub fn lang_hint(language_code: Option<&str>) -> Lang {
    match language_code {
        Some(code) if code.to_ascii_lowercase().starts_with("en") => Lang::En,
        _ => Lang::Fr,
    }
}

fn pick(lang: Lang, french: &'static str, english: &'static str) -> &'static str {
    match lang {
        Lang::Fr => french,
        Lang::En => english,
    }
}

fn cut_label(text: &str) -> String {
    if text.chars().count() <= BUTTON_CHARS {
        return text.to_string();
    }
    let mut label: String = text.chars().take(BUTTON_CHARS - 1).collect();
    label.push('…');
    label
}

/// An engine reply: the rendered answer, with suggestion buttons for `clarify` (and for
/// `no_answer` when it has related questions), or a quotes button for an answer with quotes.
pub fn answer(reply: &Reply) -> Outgoing {
    let mut outgoing = Outgoing::from_paragraphs(&render(reply, &TelegramHtml));
    let lang = reply.lang;
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    match reply.status {
        Status::Clarify | Status::NoAnswer => {
            for suggestion in &reply.suggestions {
                let action = Action::Answer {
                    id: suggestion.id.clone(),
                    lang,
                };
                if let Some(data) = action.encode() {
                    rows.push(vec![InlineKeyboardButton::callback(
                        cut_label(&suggestion.text),
                        data,
                    )]);
                }
            }
        }
        Status::Answered => {
            if let Some(id) = &reply.target_id
                && reply.quotes().next().is_some()
            {
                let action = Action::Quotes {
                    id: id.clone(),
                    lang,
                };
                if let Some(data) = action.encode() {
                    let label = pick(
                        lang,
                        "📜 Voir les citations exactes",
                        "📜 Show the exact quotes",
                    );
                    rows.push(vec![InlineKeyboardButton::callback(label, data)]);
                }
            }
        }
        Status::Smalltalk => {}
    }
    if !rows.is_empty() {
        outgoing.keyboard = Some(InlineKeyboardMarkup::new(rows));
    }
    outgoing
}

/// The verbatim quotes behind an answer, each with its citation.
pub fn quotes(reply: &Reply) -> Outgoing {
    let lang = reply.lang;
    let (open, close) = pick_quotes(lang);
    let mut paragraphs = vec![format!(
        "<b>{}</b>",
        escape(pick(lang, "Citations exactes :", "Exact quotes:"))
    )];
    for (source, quote) in reply.quotes() {
        paragraphs.push(format!(
            "{open}{}{close}\n— {}",
            escape(quote),
            citation_line(source, lang, &TelegramHtml)
        ));
    }
    if paragraphs.len() == 1 {
        paragraphs.push(escape(pick(
            lang,
            "Cette réponse ne repose sur aucune citation.",
            "This answer rests on no quote.",
        )));
    }
    Outgoing::from_paragraphs(&paragraphs)
}

fn pick_quotes(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Fr => ("« ", " »"),
        Lang::En => ("“", "”"),
    }
}

/// The body of a small-talk entry of the pack, escaped, or `fallback` (already HTML).
fn pack_text(engine: &Engine, id: &str, lang: Lang, fallback: String) -> String {
    engine
        .answer_id(id, lang)
        .filter(|reply| !reply.body.trim().is_empty())
        .map(|reply| escape(&reply.body))
        .unwrap_or(fallback)
}

fn generic_intro(engine: &Engine, lang: Lang) -> String {
    let count = engine.pack().articles.len();
    escape(&match lang {
        Lang::Fr => format!(
            "Je réponds aux questions sur {count} articles de presse, en citant chaque fois l’article et sa date."
        ),
        Lang::En => format!(
            "I answer questions about {count} news articles, citing the article and its date every time."
        ),
    })
}

fn examples(engine: &Engine, lang: Lang, how_many: usize) -> String {
    let mut lines = vec![format!(
        "<b>{}</b>",
        escape(pick(lang, "Exemples de questions :", "Example questions:"))
    )];
    for question in engine.example_questions(lang, how_many) {
        lines.push(format!("• {}", escape(&question)));
    }
    lines.join("\n")
}

fn how_to_use(lang: Lang, username: &str) -> String {
    let name = escape(username);
    match lang {
        Lang::Fr => format!(
            "En privé, écrivez simplement votre question. Dans un groupe : /ask votre question, une mention @{name}, ou une réponse à l’un de mes messages. Depuis n’importe quelle conversation : tapez @{name} puis votre question (mode inline).\n/sources liste les articles, /about dit qui je suis."
        ),
        Lang::En => format!(
            "In a private chat, just type your question. In a group: /ask your question, a mention @{name}, or a reply to one of my messages. From any chat: type @{name} then your question (inline mode).\n/sources lists the articles, /about says who I am."
        ),
    }
}

/// /start: welcome, what the bot knows, three example questions.
pub fn start(engine: &Engine, lang: Lang, username: &str) -> Outgoing {
    let welcome = pack_text(engine, WELCOME_ID, lang, generic_intro(engine, lang));
    let count = engine.pack().articles.len();
    let known = escape(&match lang {
        Lang::Fr => format!("Mes sources : {count} articles de presse (/sources pour la liste)."),
        Lang::En => format!("My sources: {count} news articles (/sources lists them)."),
    });
    Outgoing::from_paragraphs(&[
        welcome,
        known,
        examples(engine, lang, 3),
        how_to_use(lang, username),
    ])
}

/// /help.
pub fn help(engine: &Engine, lang: Lang, username: &str) -> Outgoing {
    let help = pack_text(engine, HELP_ID, lang, generic_intro(engine, lang));
    Outgoing::from_paragraphs(&[help, how_to_use(lang, username)])
}

/// /about.
pub fn about(engine: &Engine, lang: Lang) -> Outgoing {
    let about = pack_text(engine, ABOUT_ID, lang, generic_intro(engine, lang));
    let version = escape(&format!("citebot {}", env!("CARGO_PKG_VERSION")));
    Outgoing::from_paragraphs(&[about, format!("<i>{version}</i>")])
}

/// /sources: every article of the pack with its outlet, authors and date.
pub fn sources(engine: &Engine, lang: Lang) -> Outgoing {
    let header = pack_text(
        engine,
        SOURCES_ID,
        lang,
        escape(pick(lang, "Mes sources :", "My sources:")),
    );
    let lines: Vec<String> = engine
        .pack()
        .articles
        .iter()
        .map(|article| {
            let source = source_ref(article, lang, &[]);
            format!("• {}", citation_line(&source, lang, &TelegramHtml))
        })
        .collect();
    Outgoing::from_paragraphs(&[header, lines.join("\n")])
}

/// A sticker, photo, voice message… in a private chat.
pub fn text_only(lang: Lang) -> Outgoing {
    Outgoing::from_paragraphs(&[escape(pick(
        lang,
        "Je ne réponds qu’aux questions écrites : envoyez-moi votre question en texte, par exemple « Quand a lieu le Bamex ? ».",
        "I only answer written questions: send me your question as text.",
    ))])
}

/// `/ask` with nothing after it, or a bare mention.
pub fn empty_question(engine: &Engine, lang: Lang) -> Outgoing {
    Outgoing::from_paragraphs(&[
        escape(pick(
            lang,
            "Quelle est votre question ? Écrivez-la après la commande, par exemple :",
            "What is your question? Write it after the command, for example:",
        )),
        examples(engine, lang, 3),
    ])
}

/// A command the bot does not have, in a private chat.
pub fn unknown_command(lang: Lang) -> Outgoing {
    Outgoing::from_paragraphs(&[escape(pick(
        lang,
        "Je ne connais pas cette commande. /help explique comment m’utiliser ; vous pouvez aussi écrire directement votre question.",
        "I don't know that command. /help explains how to use me; you can also just type your question.",
    ))])
}

/// The one notice a user gets when over the flood limit.
pub fn flood_notice(lang: Lang) -> Outgoing {
    Outgoing::from_paragraphs(&[escape(pick(
        lang,
        "Vous m’envoyez beaucoup de questions à la fois : je fais une courte pause avant de vous répondre à nouveau. Merci de votre patience !",
        "You are sending me many questions at once: I'm taking a short break before answering you again. Thanks for your patience!",
    ))])
}

/// The toast shown when a button no longer leads anywhere (pack changed since).
pub fn expired_button(lang: Lang) -> &'static str {
    pick(
        lang,
        "Ce bouton n’est plus valable : posez à nouveau votre question.",
        "This button has expired: please ask your question again.",
    )
}

fn card(id: usize, title: &str, reply: &Reply) -> Option<InlineQueryResult> {
    let outgoing = answer(reply);
    let content = outgoing.messages.into_iter().next()?;
    let description: String = reply.body.chars().take(120).collect();
    let title = if title.trim().is_empty() {
        reply.body.chars().take(BUTTON_CHARS).collect()
    } else {
        cut_label(title)
    };
    let message = InputMessageContentText::new(content)
        .parse_mode(ParseMode::Html)
        .link_preview_options(no_link_preview());
    Some(InlineQueryResult::Article(
        InlineQueryResultArticle::new(id.to_string(), title, InputMessageContent::Text(message))
            .description(description),
    ))
}

/// Inline mode with an empty query: the example questions, each card carrying its answer.
pub fn example_cards(engine: &Engine, hint: Lang, max: usize) -> Vec<InlineQueryResult> {
    let mut cards = Vec::new();
    for example in engine.example_questions(hint, max) {
        let reply = engine.ask(&example);
        if let Some(card) = card(cards.len(), &example, &reply) {
            cards.push(card);
        }
    }
    cards
}

/// Inline mode: up to `max` cards, each carrying a cited answer: the reply itself (unless it
/// only asks to clarify), then the answers to its suggestions.
pub fn answer_cards(engine: &Engine, reply: &Reply, max: usize) -> Vec<InlineQueryResult> {
    let mut cards = Vec::new();
    if reply.status != Status::Clarify
        && let Some(first) = card(0, &reply.body, reply)
    {
        cards.push(first);
    }
    for suggestion in &reply.suggestions {
        if cards.len() >= max {
            break;
        }
        if let Some(suggested) = engine.answer_id(&suggestion.id, reply.lang)
            && let Some(next) = card(cards.len(), &suggestion.text, &suggested)
        {
            cards.push(next);
        }
    }
    cards.truncate(max.max(1));
    cards
}

//! The bot's commands, their menu in French and English (setMyCommands), and how a group
//! message is recognised as addressed to the bot.
//!
//! Knows Telegram's message shapes (entities, replies, `/cmd@bot`); knows nothing of the
//! answers. A group message is for the bot only when it says so: `/ask@<bot> …` (or one of
//! our commands), an @mention, or a reply to one of the bot's messages.

use teloxide::types::{BotCommand, Me, Message, MessageEntityKind};
use teloxide::utils::command::{BotCommands, ParseError};

/// The commands; descriptions are the French menu, [`english_menu`] the English one.
#[derive(BotCommands, Clone, Debug, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    #[command(description = "présentation et exemples de questions")]
    Start,
    #[command(description = "comment me poser une question")]
    Help,
    #[command(description = "poser une question (dans un groupe : /ask votre question)")]
    Ask(String),
    #[command(description = "les articles sur lesquels je m’appuie")]
    Sources,
    #[command(description = "qui je suis")]
    About,
}

/// The command menu in French (the default for every language). Names go without the
/// slash: the Bot API wants 1–32 lowercase letters, digits or underscores.
pub fn french_menu() -> Vec<BotCommand> {
    Command::bot_commands()
        .into_iter()
        .map(|command| {
            BotCommand::new(command.command.trim_start_matches('/'), command.description)
        })
        .collect()
}

/// The same menu for users whose Telegram is in English.
pub fn english_menu() -> Vec<BotCommand> {
    french_menu()
        .into_iter()
        .map(|command| {
            let description = match command.command.as_str() {
                "start" => "introduction and example questions",
                "help" => "how to ask me a question",
                "ask" => "ask a question (in a group: /ask your question)",
                "sources" => "the articles I rely on",
                "about" => "who I am",
                _ => return command,
            };
            BotCommand::new(command.command, description)
        })
        .collect()
}

/// What a group message asks of the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Addressed {
    /// Not for us: chatter, another bot's command, an unknown command.
    Ignore,
    Command(Command),
    /// A question, with the mention of the bot removed.
    Question(String),
}

/// Decides whether a group or supergroup message is for the bot.
pub fn in_group(message: &Message, me: &Me) -> Addressed {
    let Some(text) = message.text() else {
        return Addressed::Ignore;
    };
    if message.is_automatic_forward() {
        return Addressed::Ignore;
    }
    if text.starts_with('/') {
        return match Command::parse(text, me.username()) {
            Ok(command) => Addressed::Command(command),
            Err(ParseError::WrongBotName(_)) | Err(_) => Addressed::Ignore,
        };
    }
    let mut mention_ranges = Vec::new();
    for entity in message.parse_entities().unwrap_or_default() {
        let ours = match entity.kind() {
            MessageEntityKind::Mention => entity
                .text()
                .trim_start_matches('@')
                .eq_ignore_ascii_case(me.username()),
            MessageEntityKind::TextMention { user } => user.id == me.id,
            _ => false,
        };
        if ours {
            mention_ranges.push(entity.range());
        }
    }
    let replies_to_bot = message
        .reply_to_message()
        .and_then(|replied| replied.from.as_ref())
        .is_some_and(|author| author.id == me.id);
    if mention_ranges.is_empty() && !replies_to_bot {
        return Addressed::Ignore;
    }
    Addressed::Question(without_ranges(text, &mention_ranges))
}

/// `text` with the byte ranges removed, tidied of the punctuation a mention leaves behind
/// ("@bot, quand…" → "quand…").
fn without_ranges(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut position = 0;
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|range| range.start);
    for range in sorted {
        if range.start >= position && range.end <= text.len() {
            if let Some(piece) = text.get(position..range.start) {
                kept.push_str(piece);
            }
            position = range.end;
        }
    }
    if let Some(rest) = text.get(position..) {
        kept.push_str(rest);
    }
    kept.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';'))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> Me {
        serde_json::from_value(serde_json::json!({
            "id": 999, "is_bot": true, "first_name": "citebot", "username": "citebot_test_bot",
            "can_join_groups": true, "can_read_all_group_messages": false,
            "supports_inline_queries": true, "can_connect_to_business": false,
            "has_main_web_app": false
        }))
        .expect("a Me")
    }

    fn group_message(text: &str, entities: serde_json::Value, reply_from: Option<u64>) -> Message {
        let mut value = serde_json::json!({
            "message_id": 10, "date": 1_700_000_000,
            "chat": {"id": -1001, "type": "supergroup", "title": "g"},
            "from": {"id": 7, "is_bot": false, "first_name": "A"},
            "text": text, "entities": entities
        });
        if let Some(author) = reply_from {
            value["reply_to_message"] = serde_json::json!({
                "message_id": 9, "date": 1_700_000_000,
                "chat": {"id": -1001, "type": "supergroup", "title": "g"},
                "from": {"id": author, "is_bot": author == 999, "first_name": "B"},
                "text": "earlier"
            });
        }
        serde_json::from_value(value).expect("a Message")
    }

    fn command_entity(length: usize) -> serde_json::Value {
        serde_json::json!([{"type": "bot_command", "offset": 0, "length": length}])
    }

    #[test]
    fn group_messages_are_for_the_bot_only_when_addressed() {
        let cases: Vec<(&str, Message, Addressed)> = vec![
            (
                "chatter",
                group_message("Quand a lieu le Bamex ?", serde_json::json!([]), None),
                Addressed::Ignore,
            ),
            (
                "ask with our name",
                group_message("/ask@citebot_test_bot Quand ?", command_entity(22), None),
                Addressed::Command(Command::Ask("Quand ?".into())),
            ),
            (
                "ask for another bot",
                group_message("/ask@other_bot Quand ?", command_entity(14), None),
                Addressed::Ignore,
            ),
            (
                "another bot's command",
                group_message("/roll", command_entity(5), None),
                Addressed::Ignore,
            ),
            (
                "mention",
                group_message(
                    "@citebot_test_bot, quand a lieu le Bamex ?",
                    serde_json::json!([{"type": "mention", "offset": 0, "length": 17}]),
                    None,
                ),
                Addressed::Question("quand a lieu le Bamex ?".into()),
            ),
            (
                "mention of someone else",
                group_message(
                    "@alice quand ?",
                    serde_json::json!([{"type": "mention", "offset": 0, "length": 6}]),
                    None,
                ),
                Addressed::Ignore,
            ),
            (
                "reply to the bot",
                group_message("Et en anglais ?", serde_json::json!([]), Some(999)),
                Addressed::Question("Et en anglais ?".into()),
            ),
            (
                "reply to a person",
                group_message("Et en anglais ?", serde_json::json!([]), Some(7)),
                Addressed::Ignore,
            ),
        ];
        let me = me();
        for (name, message, expected) in cases {
            assert_eq!(in_group(&message, &me), expected, "{name}");
        }
    }

    #[test]
    fn both_menus_list_the_same_commands() {
        let french: Vec<String> = french_menu().into_iter().map(|c| c.command).collect();
        let english: Vec<String> = english_menu().into_iter().map(|c| c.command).collect();
        assert_eq!(french, english);
        assert!(english_menu().iter().all(|c| !c.description.contains('é')));
        let valid = |name: &str| {
            (1..=32).contains(&name.len())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        assert!(french.iter().all(|name| valid(name)), "{french:?}");
    }

    #[test]
    fn an_ask_without_question_parses_as_empty() {
        assert_eq!(
            Command::parse("/ask", "citebot_test_bot").ok(),
            Some(Command::Ask(String::new()))
        );
    }
}

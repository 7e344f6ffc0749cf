//! Bot API updates as Telegram sends them (JSON), for the fake API's queue.
//!
//! Entity offsets and lengths are in UTF-16 code units, as in the real API.

use serde_json::{Value, json};

use super::fake_api::{BOT_ID, BOT_USERNAME};

const DATE: i64 = 1_760_000_000;

fn utf16(text: &str) -> usize {
    text.encode_utf16().count()
}

pub fn user(id: i64, language_code: &str) -> Value {
    json!({"id": id, "is_bot": false, "first_name": "Awa", "language_code": language_code})
}

fn chat(id: i64) -> Value {
    if id > 0 {
        json!({"id": id, "type": "private", "first_name": "Awa"})
    } else if id <= -1_000_000_000_000 {
        json!({"id": id, "type": "supergroup", "title": "Défense & Sahel"})
    } else {
        json!({"id": id, "type": "group", "title": "Bamako <news>"})
    }
}

/// A text message from `user` in `chat` (a private chat when both are the same).
pub fn text(message_id: i64, chat_id: i64, user_id: i64, text: &str) -> Value {
    let mut message = json!({
        "message_id": message_id,
        "date": DATE,
        "chat": chat(chat_id),
        "from": user(user_id, "fr"),
        "text": text,
    });
    if let Some(length) = text
        .strip_prefix('/')
        .map(|rest| 1 + utf16(rest.split_whitespace().next().unwrap_or_default()))
    {
        message["entities"] = json!([{"type": "bot_command", "offset": 0, "length": length}]);
    }
    json!({"message": message})
}

/// A text message whose sender's Telegram is in `language_code`.
pub fn text_in(
    message_id: i64,
    chat_id: i64,
    user_id: i64,
    body: &str,
    language_code: &str,
) -> Value {
    let mut update = text(message_id, chat_id, user_id, body);
    update["message"]["from"] = user(user_id, language_code);
    update
}

/// `@<bot> question` in a group, with the mention entity.
pub fn mention(message_id: i64, chat_id: i64, user_id: i64, question: &str) -> Value {
    let mention = format!("@{BOT_USERNAME}");
    let body = format!("{mention} {question}");
    let mut update = text(message_id, chat_id, user_id, &body);
    update["message"]["entities"] =
        json!([{"type": "mention", "offset": 0, "length": utf16(&mention)}]);
    update
}

/// A reply, in a group, to the message `replied_id` written by the bot.
pub fn reply_to_bot(
    message_id: i64,
    chat_id: i64,
    user_id: i64,
    body: &str,
    replied_id: i64,
) -> Value {
    let mut update = text(message_id, chat_id, user_id, body);
    update["message"]["reply_to_message"] = json!({
        "message_id": replied_id,
        "date": DATE,
        "chat": chat(chat_id),
        "from": {"id": BOT_ID, "is_bot": true, "first_name": "citebot", "username": BOT_USERNAME},
        "text": "Une réponse du bot",
    });
    update
}

pub fn sticker(message_id: i64, chat_id: i64, user_id: i64) -> Value {
    json!({"message": {
        "message_id": message_id,
        "date": DATE,
        "chat": chat(chat_id),
        "from": user(user_id, "fr"),
        "sticker": {
            "file_id": "CAACAgIAAxkBAAI", "file_unique_id": "AgADAQADfake",
            "type": "regular", "width": 512, "height": 512,
            "is_animated": false, "is_video": false, "emoji": "👍"
        }
    }})
}

/// A press on an inline-keyboard button under the bot's message `message_id`.
pub fn button_press(chat_id: i64, user_id: i64, message_id: i64, data: &str) -> Value {
    json!({"callback_query": {
        "id": format!("cb-{message_id}-{}", data.len()),
        "from": user(user_id, "fr"),
        "chat_instance": "42",
        "data": data,
        "message": {
            "message_id": message_id,
            "date": DATE,
            "chat": chat(chat_id),
            "from": {"id": BOT_ID, "is_bot": true, "first_name": "citebot", "username": BOT_USERNAME},
            "text": "Suggestions",
        }
    }})
}

pub fn inline_query(id: &str, user_id: i64, query: &str) -> Value {
    json!({"inline_query": {
        "id": id,
        "from": user(user_id, "fr"),
        "query": query,
        "offset": "",
    }})
}

//! A fake Telegram Bot API server on 127.0.0.1 for the end-to-end tests.
//!
//! It behaves like the real API where the bot could get it wrong: `/bot<token>/<Method>`
//! paths (teloxide sends PascalCase names: `SendMessage`, `GetUpdates`…), a wrong token gets
//! 401, HTML that does not parse gets 400 "Bad Request: can't parse entities", a text over
//! 4096 characters gets 400 "Bad Request: message is too long", and a 429 with
//! `parameters.retry_after` when a test asks for one. `getUpdates` long-polls over the queued
//! updates. Every call is recorded. Its HTML checker is written from the Bot API
//! documentation, independently of the bot's own HTML code.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub const BOT_ID: i64 = 999_000_111;
pub const BOT_USERNAME: &str = "citebot_test_bot";

/// One Bot API call as the fake saw it.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub body: Value,
    pub at: Instant,
    /// Whether the fake answered `ok: true`.
    pub ok: bool,
    /// The error description when it did not.
    pub error: Option<String>,
}

impl Call {
    pub fn chat_id(&self) -> Option<i64> {
        self.body.get("chat_id").and_then(Value::as_i64)
    }
    pub fn text(&self) -> &str {
        self.body
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
    pub fn reply_to(&self) -> Option<i64> {
        self.body
            .pointer("/reply_parameters/message_id")
            .and_then(Value::as_i64)
    }
    /// Callback data of every inline-keyboard button.
    pub fn button_data(&self) -> Vec<String> {
        self.body
            .pointer("/reply_markup/inline_keyboard")
            .and_then(Value::as_array)
            .map(|rows| {
                rows.iter()
                    .filter_map(Value::as_array)
                    .flatten()
                    .filter_map(|button| button.get("callback_data").and_then(Value::as_str))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[derive(Default)]
struct Inner {
    updates: Vec<Value>,
    next_update_id: i64,
    next_message_id: i64,
    calls: Vec<Call>,
    /// Method → retry_after seconds of the 429s to answer next.
    scripted_429: HashMap<String, VecDeque<u64>>,
}

struct Shared {
    token: String,
    inner: Mutex<Inner>,
    new_update: tokio::sync::Notify,
}

/// The fake server; stops when dropped.
pub struct FakeApi {
    shared: Arc<Shared>,
    address: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Inner> {
    shared
        .inner
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakeApi {
    pub fn start(token: &str) -> FakeApi {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime for the fake API");
        let shared = Arc::new(Shared {
            token: token.to_string(),
            inner: Mutex::new(Inner {
                next_update_id: 1,
                next_message_id: 1000,
                ..Inner::default()
            }),
            new_update: tokio::sync::Notify::new(),
        });
        let app = axum::Router::new()
            .route("/{bot}/{method}", axum::routing::post(handle))
            .with_state(shared.clone());
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        runtime.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeApi {
            shared,
            address,
            runtime: Some(runtime),
        }
    }

    /// The value for TELOXIDE_API_URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Queues an update; `kind` is e.g. `{"message": {...}}`. Returns its update_id.
    pub fn push(&self, kind: Value) -> i64 {
        let mut inner = lock(&self.shared);
        let id = inner.next_update_id;
        inner.next_update_id += 1;
        let mut update = kind;
        update["update_id"] = json!(id);
        inner.updates.push(update);
        drop(inner);
        self.shared.new_update.notify_waiters();
        id
    }

    /// A fresh message id for a message the test sends.
    pub fn next_message_id(&self) -> i64 {
        let mut inner = lock(&self.shared);
        inner.next_message_id += 1;
        inner.next_message_id
    }

    /// The next call of `method` gets a 429 with this `retry_after`.
    pub fn answer_429_once(&self, method: &str, retry_after_secs: u64) {
        lock(&self.shared)
            .scripted_429
            .entry(method.to_string())
            .or_default()
            .push_back(retry_after_secs);
    }

    pub fn calls(&self) -> Vec<Call> {
        lock(&self.shared).calls.clone()
    }

    pub fn calls_of(&self, method: &str) -> Vec<Call> {
        lock(&self.shared)
            .calls
            .iter()
            .filter(|call| call.method == method)
            .cloned()
            .collect()
    }

    /// Messages the bot managed to send (accepted by the fake) to `chat`.
    pub fn delivered_to(&self, chat: i64) -> Vec<Call> {
        self.calls_of("SendMessage")
            .into_iter()
            .filter(|call| call.ok && call.chat_id() == Some(chat))
            .collect()
    }

    /// Waits (bounded) until `done` holds over the recorded calls; returns whether it did.
    pub fn wait_until(&self, timeout: Duration, done: impl Fn(&[Call]) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if done(&lock(&self.shared).calls) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until at least `count` messages were delivered to `chat`, and returns them.
    pub fn wait_for_messages(&self, chat: i64, count: usize) -> Vec<Call> {
        let arrived = self.wait_until(Duration::from_secs(30), |calls| {
            calls
                .iter()
                .filter(|call| {
                    call.method == "SendMessage" && call.ok && call.chat_id() == Some(chat)
                })
                .count()
                >= count
        });
        let delivered = self.delivered_to(chat);
        assert!(
            arrived,
            "expected {count} message(s) to chat {chat}, got {}: {:#?}\nall calls: {:#?}",
            delivered.len(),
            delivered.iter().map(Call::text).collect::<Vec<_>>(),
            self.calls()
                .iter()
                .filter(|call| call.method != "GetUpdates")
                .map(|call| (&call.method, &call.error))
                .collect::<Vec<_>>()
        );
        delivered
    }
}

fn api_error(
    status: StatusCode,
    description: &str,
    parameters: Option<Value>,
) -> (StatusCode, Value) {
    let mut body = json!({"ok": false, "error_code": status.as_u16(), "description": description});
    if let Some(parameters) = parameters {
        body["parameters"] = parameters;
    }
    (status, body)
}

/// A multipart/form-data body (what teloxide sends for methods that may carry files, such
/// as setWebhook) as a JSON object; JSON-looking values are parsed.
fn multipart_to_json(content_type: &str, body: &[u8]) -> Option<Value> {
    let boundary = content_type.split("boundary=").nth(1)?.trim_matches('"');
    let text = String::from_utf8_lossy(body);
    let mut object = serde_json::Map::new();
    for part in text.split(&format!("--{boundary}")) {
        let Some((headers, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = headers
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        else {
            continue;
        };
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        let parsed = if value.starts_with('[') || value.starts_with('{') {
            serde_json::from_str(value).unwrap_or_else(|_| json!(value))
        } else {
            json!(value)
        };
        object.insert(name.to_string(), parsed);
    }
    Some(Value::Object(object))
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    Path((bot, method)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if bot != format!("bot{}", shared.token) {
        let (status, body) = api_error(StatusCode::UNAUTHORIZED, "Unauthorized", None);
        return (status, axum::Json(body)).into_response();
    }
    let body: Value = if body.is_empty() {
        json!({})
    } else if content_type.starts_with("multipart/form-data") {
        match multipart_to_json(&content_type, &body) {
            Some(value) => value,
            None => {
                let (status, body) = api_error(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: invalid multipart body",
                    None,
                );
                return (status, axum::Json(body)).into_response();
            }
        }
    } else {
        match serde_json::from_slice(&body) {
            Ok(value) => value,
            Err(_) => {
                let (status, body) =
                    api_error(StatusCode::BAD_REQUEST, "Bad Request: invalid JSON", None);
                return (status, axum::Json(body)).into_response();
            }
        }
    };
    let (status, answer) = if method == "GetUpdates" {
        get_updates(&shared, &body).await
    } else {
        respond(&shared, &method, &body)
    };
    let ok = answer.get("ok").and_then(Value::as_bool).unwrap_or(false);
    let error = answer
        .get("description")
        .and_then(Value::as_str)
        .map(str::to_string);
    lock(&shared).calls.push(Call {
        method,
        body,
        at: Instant::now(),
        ok,
        error,
    });
    (status, axum::Json(answer)).into_response()
}

async fn get_updates(shared: &Shared, body: &Value) -> (StatusCode, Value) {
    let offset = body.get("offset").and_then(Value::as_i64).unwrap_or(0);
    let limit = body.get("limit").and_then(Value::as_u64).unwrap_or(100) as usize;
    let timeout = body.get("timeout").and_then(Value::as_u64).unwrap_or(0);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    loop {
        // Registered before looking, so that a push in between is not missed.
        let notified = shared.new_update.notified();
        let pending: Vec<Value> = {
            let mut inner = lock(shared);
            // Like Telegram: an offset confirms every update before it.
            inner.updates.retain(|update| {
                update.get("update_id").and_then(Value::as_i64).unwrap_or(0) >= offset
            });
            inner.updates.iter().take(limit.max(1)).cloned().collect()
        };
        if !pending.is_empty() || tokio::time::Instant::now() >= deadline {
            return (StatusCode::OK, json!({"ok": true, "result": pending}));
        }
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

fn bot_user() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": "citebot", "username": BOT_USERNAME})
}

fn chat_of(id: i64) -> Value {
    if id > 0 {
        json!({"id": id, "type": "private", "first_name": "Test"})
    } else if id <= -1_000_000_000_000 {
        json!({"id": id, "type": "supergroup", "title": "Test supergroup"})
    } else {
        json!({"id": id, "type": "group", "title": "Test group"})
    }
}

fn respond(shared: &Shared, method: &str, body: &Value) -> (StatusCode, Value) {
    let scripted = lock(shared)
        .scripted_429
        .get_mut(method)
        .and_then(VecDeque::pop_front);
    if let Some(retry_after) = scripted {
        return api_error(
            StatusCode::TOO_MANY_REQUESTS,
            &format!("Too Many Requests: retry after {retry_after}"),
            Some(json!({"retry_after": retry_after})),
        );
    }
    let ok = |result: Value| (StatusCode::OK, json!({"ok": true, "result": result}));
    match method {
        "GetMe" => {
            let mut me = bot_user();
            me["can_join_groups"] = json!(true);
            me["can_read_all_group_messages"] = json!(false);
            me["supports_inline_queries"] = json!(true);
            me["can_connect_to_business"] = json!(false);
            me["has_main_web_app"] = json!(false);
            ok(me)
        }
        "SetMyCommands" => {
            let commands = body
                .get("commands")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for command in commands {
                let name = command
                    .get("command")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let valid = (1..=32).contains(&name.len())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !valid {
                    return api_error(
                        StatusCode::BAD_REQUEST,
                        "Bad Request: BOT_COMMAND_INVALID",
                        None,
                    );
                }
            }
            ok(json!(true))
        }
        "DeleteWebhook" | "SetWebhook" | "AnswerCallbackQuery" => ok(json!(true)),
        "GetWebhookInfo" => {
            ok(json!({"url": "", "has_custom_certificate": false, "pending_update_count": 0}))
        }
        "AnswerInlineQuery" => {
            let results = body
                .get("results")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if results.len() > 50 {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: RESULTS_TOO_MUCH",
                    None,
                );
            }
            for result in &results {
                let content = result
                    .get("input_message_content")
                    .cloned()
                    .unwrap_or_default();
                let text = content
                    .get("message_text")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let html = content.get("parse_mode").and_then(Value::as_str) == Some("HTML");
                if let Err(problem) = check_text(text, html) {
                    return api_error(StatusCode::BAD_REQUEST, &problem, None);
                }
            }
            ok(json!(true))
        }
        "SendMessage" => {
            let Some(chat) = body.get("chat_id").and_then(Value::as_i64) else {
                return api_error(StatusCode::BAD_REQUEST, "Bad Request: chat not found", None);
            };
            let text = body.get("text").and_then(Value::as_str).unwrap_or_default();
            let html = body.get("parse_mode").and_then(Value::as_str) == Some("HTML");
            let visible = match check_text(text, html) {
                Ok(visible) => visible,
                Err(problem) => return api_error(StatusCode::BAD_REQUEST, &problem, None),
            };
            let message_id = {
                let mut inner = lock(shared);
                inner.next_message_id += 1;
                inner.next_message_id
            };
            ok(json!({
                "message_id": message_id,
                "date": 1_760_000_000,
                "chat": chat_of(chat),
                "from": bot_user(),
                "text": visible,
            }))
        }
        _ => api_error(StatusCode::NOT_FOUND, "Not Found: method not found", None),
    }
}

/// Checks a message text like Telegram: not empty, HTML that parses, at most 4096
/// characters once parsed. Returns the visible text.
fn check_text(text: &str, html: bool) -> Result<String, String> {
    let visible = if html {
        parse_html(text)
            .map_err(|problem| format!("Bad Request: can't parse entities: {problem}"))?
    } else {
        text.to_string()
    };
    if visible.trim().is_empty() {
        return Err("Bad Request: message text is empty".into());
    }
    if visible.encode_utf16().count() > 4096 {
        return Err("Bad Request: message is too long".into());
    }
    Ok(visible)
}

const TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
];

/// Telegram's HTML subset (Bot API, "HTML style"): the supported tags, properly nested, and
/// every `<`, `>` and `&` that is not part of a tag or entity escaped as `&lt;`, `&gt;`,
/// `&amp;` (or `&quot;`, or a numeric entity).
pub fn parse_html(text: &str) -> Result<String, String> {
    let mut visible = String::new();
    let mut open: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(character) = rest.chars().next() {
        let offset = text.len() - rest.len();
        match character {
            '<' => {
                let Some(end) = rest.find('>') else {
                    return Err(format!("Unclosed start tag at byte offset {offset}"));
                };
                let inside = &rest[1..end];
                if let Some(name) = inside.strip_prefix('/') {
                    let name = name.trim();
                    if open.pop().as_deref() != Some(name) {
                        return Err(format!(
                            "Unmatched end tag at byte offset {offset}, expected \"</{name}>\""
                        ));
                    }
                } else {
                    let name = inside
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_lowercase();
                    if !TAGS.contains(&name.as_str()) {
                        return Err(format!(
                            "Unsupported start tag \"{name}\" at byte offset {offset}"
                        ));
                    }
                    open.push(name);
                }
                rest = &rest[end + 1..];
            }
            '>' => return Err(format!("Character '>' is reserved at byte offset {offset}")),
            '&' => {
                let end = rest
                    .char_indices()
                    .take(12)
                    .find(|(_, c)| *c == ';')
                    .map(|(index, _)| index);
                let entity = end.map(|end| &rest[1..end]);
                let decoded = match entity {
                    Some("lt") => "<".to_string(),
                    Some("gt") => ">".to_string(),
                    Some("amp") => "&".to_string(),
                    Some("quot") => "\"".to_string(),
                    Some(number) if number.starts_with('#') => {
                        let value = number
                            .strip_prefix("#x")
                            .map(|hex| u32::from_str_radix(hex, 16))
                            .unwrap_or_else(|| number[1..].parse());
                        match value.ok().and_then(char::from_u32) {
                            Some(c) => c.to_string(),
                            None => return Err(format!("Invalid entity at byte offset {offset}")),
                        }
                    }
                    _ => return Err(format!("Character '&' is reserved at byte offset {offset}")),
                };
                visible.push_str(&decoded);
                rest = &rest[end.map_or(1, |end| end + 1)..];
            }
            other => {
                visible.push(other);
                rest = &rest[other.len_utf8()..];
            }
        }
    }
    if let Some(name) = open.pop() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{name}\""
        ));
    }
    Ok(visible)
}

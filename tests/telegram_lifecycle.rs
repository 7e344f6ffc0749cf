//! End-to-end: starting without a token, logs without secrets or message text, graceful
//! stop on SIGTERM, and webhook mode (secret, health endpoint, no deleteWebhook on stop).

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::json;
use support::bot_process::{Launch, config_with, scratch_dir};
use support::{BotProcess, FakeApi, SOON, TOKEN, bot, updates};

/// The secret half of the token (after the bot id).
fn token_secret() -> &'static str {
    TOKEN
        .split_once(':')
        .map(|(_, secret)| secret)
        .unwrap_or(TOKEN)
}

#[test]
fn without_a_token_serve_exits_non_zero_pointing_at_botfather_and_chat() {
    let mut launch = Launch::new("http://127.0.0.1:9", "no-token");
    launch.token = None;
    let mut bot = BotProcess::launch(launch);
    let status = bot.wait_exit(SOON).expect("exits by itself");
    assert!(!status.success());
    let stderr = bot.stderr();
    for expected in ["TELOXIDE_TOKEN", "BotFather", "citebot chat", ".env"] {
        assert!(stderr.contains(expected), "no {expected:?} in {stderr}");
    }
}

#[test]
fn sigterm_stops_the_bot_gracefully_within_a_few_seconds() {
    let (fake, mut bot) = bot("sigterm");
    assert!(fake.wait_until(SOON, |calls| {
        calls.iter().any(|call| call.method == "GetUpdates")
    }));
    bot.terminate();
    let status = bot
        .wait_exit(Duration::from_secs(8))
        .expect("stopped within 8 s");
    assert!(status.success(), "{status:?}\n{}", bot.stderr());
    let stderr = bot.stderr();
    assert!(stderr.contains("SIGTERM"), "{stderr}");
}

#[test]
fn logs_hold_one_line_per_question_and_never_the_token_or_the_text() {
    let (fake, mut bot) = bot("logs");
    let question = "Qui a officiellement inauguré le BAMEX'25 ?";
    fake.push(updates::text(fake.next_message_id(), 1201, 1201, question));
    fake.wait_for_messages(1201, 1);
    assert!(bot.wait_for_log("question", SOON));
    bot.terminate();
    bot.wait_exit(Duration::from_secs(8));
    let stderr = bot.stderr();
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains(" question"))
        .collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    for field in ["status", "entry", "score", "engine_us", "total_ms"] {
        assert!(lines[0].contains(field), "no {field} in {}", lines[0]);
    }
    assert!(!stderr.contains("inauguré"), "{stderr}");
    assert!(!stderr.contains("Awa"), "user name in {stderr}");
    assert!(!stderr.contains(token_secret()), "{stderr}");
}

#[test]
fn the_token_stays_out_of_the_logs_when_telegram_is_unreachable() {
    // Nothing listens on this port: every call fails with an HTTP client error whose text
    // holds the request URL, token included.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!("http://{}", closed.local_addr().expect("address"));
    drop(closed);
    let dir = scratch_dir("unreachable-config");
    let mut launch = Launch::new(&url, "unreachable");
    launch.config = Some(config_with(&dir, &[("send_attempts", "2")]));
    launch.env.push(("RUST_LOG".into(), "debug".into()));
    let mut bot = BotProcess::launch(launch);
    let status = bot.wait_exit(SOON).expect("gives up");
    assert!(!status.success());
    let stderr = bot.stderr();
    assert!(
        stderr.contains("redacted"),
        "the URL is logged, redacted: {stderr}"
    );
    assert!(!stderr.contains(token_secret()), "{stderr}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

/// A bare HTTP/1.1 request; returns the status code and body.
fn http(port: u16, request: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())?;
    Some((status, body))
}

fn post(port: u16, path: &str, secret: Option<&str>, body: &str) -> Option<u16> {
    let secret_header = secret
        .map(|secret| format!("X-Telegram-Bot-Api-Secret-Token: {secret}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{secret_header}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    http(port, &request).map(|(status, _)| status)
}

#[test]
fn webhook_mode_checks_the_secret_serves_health_and_keeps_the_webhook_on_stop() {
    let fake = FakeApi::start(TOKEN);
    let port = free_port();
    let secret = "replica-shared_secret-42";
    let api_url = fake.url();
    let mut launch = Launch::new(&api_url, "webhook");
    launch.args = vec![
        "--webhook-url".into(),
        format!("http://127.0.0.1:{port}/telegram/hook"),
        "--listen".into(),
        format!("127.0.0.1:{port}"),
    ];
    launch
        .env
        .push(("CITEBOT_WEBHOOK_SECRET".into(), secret.into()));
    let mut bot = BotProcess::launch(launch);

    assert!(
        fake.wait_until(SOON, |calls| calls
            .iter()
            .any(|call| call.method == "SetWebhook")),
        "{}",
        bot.stderr()
    );
    let registered = fake.calls_of("SetWebhook");
    assert_eq!(registered[0].body["secret_token"], secret);
    assert_eq!(
        registered[0].body["url"],
        format!("http://127.0.0.1:{port}/telegram/hook")
    );

    let health = (0..200)
        .find_map(|_| {
            let answer = http(
                port,
                "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            );
            if answer.is_none() {
                std::thread::sleep(Duration::from_millis(50));
            }
            answer
        })
        .expect("the health endpoint answers");
    assert_eq!(health, (200, "ok".to_string()));

    let mut update = updates::text(
        5001,
        1301,
        1301,
        "Qui a officiellement inauguré le BAMEX'25 ?",
    );
    update["update_id"] = json!(77);
    let body = update.to_string();
    assert_eq!(
        post(port, "/telegram/hook", None, &body),
        Some(401),
        "no secret"
    );
    assert_eq!(
        post(port, "/telegram/hook", Some("wrong"), &body),
        Some(401),
        "wrong secret"
    );
    assert_eq!(post(port, "/telegram/hook", Some(secret), &body), Some(200));
    fake.wait_for_messages(1301, 1);
    assert!(
        fake.calls_of("GetUpdates").is_empty(),
        "no polling in webhook mode"
    );

    bot.terminate();
    let status = bot
        .wait_exit(Duration::from_secs(8))
        .expect("stopped within 8 s");
    assert!(status.success(), "{}", bot.stderr());
    assert!(
        fake.calls_of("DeleteWebhook").is_empty(),
        "a replica never deletes the webhook"
    );
}

#[test]
fn webhook_mode_without_a_secret_is_refused_at_start() {
    let fake = FakeApi::start(TOKEN);
    let api_url = fake.url();
    let mut launch = Launch::new(&api_url, "webhook-no-secret");
    launch.args = vec![
        "--webhook-url".into(),
        "https://bot.example.org/hook".into(),
        "--listen".into(),
        format!("127.0.0.1:{}", free_port()),
    ];
    let mut bot = BotProcess::launch(launch);
    let status = bot.wait_exit(SOON).expect("exits by itself");
    assert!(!status.success());
    assert!(
        bot.stderr().contains("CITEBOT_WEBHOOK_SECRET"),
        "{}",
        bot.stderr()
    );
    assert!(fake.calls_of("SetWebhook").is_empty());
}

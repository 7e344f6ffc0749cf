//! Runs the real `citebot serve` binary against the fake API and collects its stderr.
//!
//! The child runs in an empty temporary folder (so that no `.env` of the developer is read),
//! with the repository's config and knowledge passed by path, and is killed when dropped.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A token shaped like a real one; it must never appear in the logs.
pub const TOKEN: &str = "987654321:AAF-secret_TOKEN_never_log_me_0123456789";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh empty folder for one child, removed when dropped.
pub struct ScratchDir(PathBuf);

impl std::ops::Deref for ScratchDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn scratch_dir(name: &str) -> ScratchDir {
    let dir = std::env::temp_dir().join(format!(
        "citebot-telegram-test-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    ScratchDir(dir)
}

/// The shipped config with some `[telegram]` keys replaced, written to `dir`.
pub fn config_with(dir: &Path, telegram: &[(&str, &str)]) -> PathBuf {
    let shipped = std::fs::read_to_string(repo().join("config/citebot.toml")).expect("config");
    let mut lines: Vec<String> = Vec::new();
    let mut in_telegram = false;
    for line in shipped.lines() {
        if line.starts_with('[') {
            in_telegram = line.trim() == "[telegram]";
        }
        let replaced = in_telegram
            && telegram
                .iter()
                .any(|(key, _)| line.split('=').next().map(str::trim) == Some(key));
        if !replaced {
            lines.push(line.to_string());
        }
        if line.trim() == "[telegram]" {
            for (key, value) in telegram {
                lines.push(format!("{key} = {value}"));
            }
        }
    }
    let path = dir.join("citebot.toml");
    std::fs::write(&path, lines.join("\n")).expect("write config");
    path
}

pub struct BotProcess {
    child: Child,
    /// The child's working folder; declared after `child`, so removed once the child is gone.
    _dir: ScratchDir,
    stderr: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

pub struct Launch<'a> {
    pub api_url: Option<&'a str>,
    pub token: Option<&'a str>,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub config: Option<PathBuf>,
    pub dir_name: &'a str,
}

impl<'a> Launch<'a> {
    pub fn new(api_url: &'a str, dir_name: &'a str) -> Launch<'a> {
        Launch {
            api_url: Some(api_url),
            token: Some(TOKEN),
            args: Vec::new(),
            env: Vec::new(),
            config: None,
            dir_name,
        }
    }
}

impl BotProcess {
    /// `citebot serve` with the repo's config against the fake at `api_url`.
    pub fn start(api_url: &str, dir_name: &str) -> BotProcess {
        BotProcess::launch(Launch::new(api_url, dir_name))
    }

    pub fn launch(launch: Launch<'_>) -> BotProcess {
        let dir = scratch_dir(launch.dir_name);
        let config = launch
            .config
            .unwrap_or_else(|| repo().join("config/citebot.toml"));
        let mut command = Command::new(env!("CARGO_BIN_EXE_citebot"));
        command
            .arg("--config")
            .arg(&config)
            .arg("--knowledge")
            .arg(repo().join("knowledge"))
            .arg("serve")
            .args(&launch.args)
            .current_dir(&*dir)
            .env_remove("TELOXIDE_TOKEN")
            .env_remove("TELOXIDE_API_URL")
            .env_remove("TELOXIDE_PROXY")
            .env_remove("CITEBOT_WEBHOOK_URL")
            .env_remove("CITEBOT_WEBHOOK_SECRET")
            .env_remove("CITEBOT_LISTEN")
            .env_remove("CITEBOT_LOG_FORMAT")
            .env("RUST_LOG", "info")
            .env("NO_PROXY", "127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(url) = launch.api_url {
            command.env("TELOXIDE_API_URL", url);
        }
        if let Some(token) = launch.token {
            command.env("TELOXIDE_TOKEN", token);
        }
        for (key, value) in &launch.env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("spawn citebot serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().expect("stderr pipe");
        let sink = stderr.clone();
        let reader = std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(read) = pipe.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                let text = String::from_utf8_lossy(&buffer[..read]).into_owned();
                sink.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push_str(&text);
            }
        });
        BotProcess {
            child,
            _dir: dir,
            stderr,
            reader: Some(reader),
        }
    }

    pub fn stderr(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Sends SIGTERM, as `docker stop` does.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits (bounded) for the process to exit.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                if let Some(reader) = self.reader.take() {
                    let _ = reader.join();
                }
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits (bounded) until stderr contains `needle`.
    pub fn wait_for_log(&self, needle: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.stderr().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

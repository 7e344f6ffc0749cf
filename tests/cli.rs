//! The `citebot` binary as a user or a script drives it: `ask --json` (the stable interface),
//! `check` on good and broken packs, `eval` exit codes.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn citebot() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_citebot"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command.env_remove("RUST_LOG");
    command
}

#[test]
fn ask_json_writes_one_object_per_input_line_in_order_with_the_stable_fields() {
    let questions = [
        "Quand a lieu le Bamex 2025 ?",
        "",
        "Combien coûte un TB2 ?",
        "bonjour",
        "Who organised BAMEX?",
    ];
    let mut child = citebot()
        .args(["ask", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("citebot runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(questions.join("\n").as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect();
    assert_eq!(lines.len(), questions.len());
    for (line, question) in lines.iter().zip(questions) {
        let object = line.as_object().unwrap();
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "answer",
                "citations",
                "entry",
                "question",
                "score",
                "status",
                "suggestions"
            ]
        );
        assert_eq!(line["question"], question);
        assert!(line["score"].is_number());
        let status = line["status"].as_str().unwrap();
        assert!(["answered", "clarify", "no_answer", "smalltalk"].contains(&status));
        if status == "answered" {
            let citations = line["citations"].as_array().unwrap();
            assert!(!citations.is_empty(), "{line}");
            for citation in citations {
                for field in ["article", "outlet", "author", "title", "published", "quote"] {
                    assert!(
                        citation.get(field).is_some(),
                        "{field} missing in {citation}"
                    );
                }
                assert!(!citation["published"].as_str().unwrap().is_empty());
                assert!(!citation["quote"].as_str().unwrap().is_empty());
            }
        }
    }
    assert_eq!(lines[0]["status"], "answered");
    assert_eq!(lines[0]["entry"], "q-bamex-dates");
    assert_eq!(lines[2]["status"], "no_answer");
    assert_eq!(lines[3]["status"], "smalltalk");
}

#[test]
fn check_accepts_the_shipped_pack_and_names_file_id_and_problem_in_a_broken_one() {
    let good = citebot().arg("check").output().unwrap();
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stdout)
    );

    let broken =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/quote-not-verbatim");
    let output = citebot()
        .arg("--knowledge")
        .arg(&broken)
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("topics.toml: c1: quote not found verbatim in article `a1`"),
        "{stdout}"
    );

    // The engine refuses to load the same pack, with the same message.
    let refused = citebot()
        .arg("--knowledge")
        .arg(&broken)
        .args(["ask", "bonjour"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8(refused.stderr).unwrap();
    assert!(stderr.contains("c1: quote not found verbatim"), "{stderr}");
}

#[test]
fn check_warns_of_phrasings_two_entries_share_and_strict_fails_on_them() {
    let shipped = citebot().args(["check", "--strict"]).output().unwrap();
    assert!(
        shipped.status.success(),
        "{}",
        String::from_utf8_lossy(&shipped.stdout)
    );

    let shared =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/warnings/shared-phrasing");
    let lenient = citebot()
        .arg("--knowledge")
        .arg(&shared)
        .arg("check")
        .output()
        .unwrap();
    assert!(lenient.status.success());
    let stdout = String::from_utf8(lenient.stdout).unwrap();
    assert!(
        stdout.contains(
            "topics.toml: q2: the phrasing \"Le salon a lieu quand ?\" reads the same as \"Quand a lieu le salon ?\" of q1"
        ),
        "{stdout}"
    );
    let strict = citebot()
        .arg("--knowledge")
        .arg(&shared)
        .args(["check", "--strict"])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn eval_exits_non_zero_below_the_thresholds() {
    let folder = std::env::temp_dir().join(format!("citebot-eval-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let set = folder.join("set.txt");
    std::fs::write(
        &set,
        "answer source=lemonde-turquie-junte has=zzzz | Quand a lieu le Bamex 2025 ?\n",
    )
    .unwrap();
    let output = citebot().arg("eval").arg(&set).output().unwrap();
    std::fs::remove_dir_all(&folder).ok();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("FAIL"), "{stdout}");
    assert!(stdout.contains("answer lacks zzzz"), "{stdout}");
}

//! Bad input gets a clear answer, never a panic: any UTF-8 up to 64 KiB, and a list of nasty
//! strings, run through the real pack. Every reply must be well formed.

use std::path::Path;
use std::sync::OnceLock;

use citebot::compose::{JsonReply, Status, plain_text};
use citebot::config::Config;
use citebot::engine::Engine;
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = Config::load(&root.join("config/citebot.toml")).expect("config");
        citebot::load_engine(&root.join("knowledge"), &config.matching).expect("pack")
    })
}

/// What every reply must satisfy, whatever the input.
fn check_reply(question: &str) {
    let reply = engine().ask(question);
    let text = plain_text(&reply);
    assert!(!text.trim().is_empty(), "empty reply to {question:?}");
    if reply.status == Status::Answered {
        assert!(
            !reply.sources.is_empty(),
            "answer without a citation: {question:?}"
        );
        assert!(reply.all_sources_dated(), "undated citation: {question:?}");
    }
    serde_json::to_string(&JsonReply::new(&reply)).expect("the JSON form always serializes");
}

#[test]
fn nasty_inputs_get_a_reply() {
    let long_word = "a".repeat(65_536);
    let long_question = "Quand a lieu le Bamex ? ".repeat(2_700);
    let nasty = [
        "",
        " ",
        "\n\n\t",
        "?",
        "!!!???...",
        "\0\0\0",
        "💣🔥🇲🇱🇹🇷",
        "\u{200b}\u{200d}\u{feff}",
        "e\u{301}\u{301}\u{301}\u{301}",
        "مرحبا ما هو معرض باماكو",
        "Бамекс когда",
        "<b>Quand</b> a lieu le &amp; Bamex ?",
        "' OR 1=1; DROP TABLE entries; --",
        "l'l'l'l'l'",
        "2 000 000 000 000 000 000 000",
        "ıİŒœßÆæ",
        &long_word,
        &long_question,
    ];
    for question in nasty {
        check_reply(question);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_utf8_up_to_64_kib_returns_a_reply(text in proptest::collection::vec(any::<char>(), 0..16_384)) {
        let question: String = text.into_iter().collect();
        prop_assume!(question.len() <= 65_536);
        check_reply(&question);
    }

    #[test]
    fn any_mix_of_pack_words_and_noise_returns_a_reply(words in proptest::collection::vec(
        prop_oneof![
            Just("bamex".to_string()), Just("akinci".to_string()), Just("quand".to_string()),
            Just("combien".to_string()), Just("turquie".to_string()), Just("l'".to_string()),
            "[a-zà-ÿ]{1,12}", "\\PC{1,6}",
        ], 0..40)) {
        check_reply(&words.join(" "));
    }
}

//! The data carried by inline-keyboard buttons, within Telegram's 64 bytes.
//!
//! `a:<lang>:<id>` answers an entry, claim or small-talk id (a suggestion button);
//! `q:<lang>:<id>` shows the verbatim quotes behind an answer. Ids are opaque here: whether
//! one exists is the engine's business. Data from an update is never trusted: anything
//! malformed decodes to `None`.

use crate::text::Lang;

/// Telegram's limit for `callback_data`, in bytes.
pub const MAX_CALLBACK_BYTES: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Answer this id.
    Answer { id: String, lang: Lang },
    /// Show the quotes behind the answer to this id.
    Quotes { id: String, lang: Lang },
}

impl Action {
    /// The callback data, or `None` if it would not fit in 64 bytes.
    pub fn encode(&self) -> Option<String> {
        let (tag, id, lang) = match self {
            Action::Answer { id, lang } => ("a", id, lang),
            Action::Quotes { id, lang } => ("q", id, lang),
        };
        let data = format!("{tag}:{}:{id}", lang.code());
        (data.len() <= MAX_CALLBACK_BYTES && !id.is_empty()).then_some(data)
    }

    pub fn decode(data: &str) -> Option<Action> {
        if data.len() > MAX_CALLBACK_BYTES {
            return None;
        }
        let mut parts = data.splitn(3, ':');
        let tag = parts.next()?;
        let lang = match parts.next()? {
            "fr" => Lang::Fr,
            "en" => Lang::En,
            _ => return None,
        };
        let id = parts.next().filter(|id| !id.is_empty())?.to_string();
        match tag {
            "a" => Some(Action::Answer { id, lang }),
            "q" => Some(Action::Quotes { id, lang }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_survive_a_round_trip() {
        let id = "x".repeat(56);
        for action in [
            Action::Answer {
                id: "bamex-dates".into(),
                lang: Lang::Fr,
            },
            Action::Quotes {
                id: "bamex-dates".into(),
                lang: Lang::En,
            },
            Action::Answer {
                id: id.clone(),
                lang: Lang::En,
            },
        ] {
            let data = action.encode().expect("fits");
            assert!(data.len() <= MAX_CALLBACK_BYTES);
            assert_eq!(Action::decode(&data), Some(action));
        }
    }

    #[test]
    fn an_id_too_long_for_telegram_gets_no_button() {
        let action = Action::Answer {
            id: "x".repeat(60),
            lang: Lang::Fr,
        };
        assert_eq!(action.encode(), None);
    }

    #[test]
    fn malformed_data_decodes_to_nothing() {
        for data in [
            "",
            "a",
            "a:fr",
            "a:fr:",
            "z:fr:id",
            "a:de:id",
            "q::id",
            &"a:fr:".repeat(20),
        ] {
            assert_eq!(Action::decode(data), None, "{data}");
        }
    }
}

//! Telegram HTML: escaping, the [`Markup`] the composer renders through, and cutting long
//! text into messages Telegram accepts.
//!
//! Telegram's HTML parse mode refuses a bare `<`, `>` or `&` and unbalanced tags, and a
//! message may hold at most 4096 characters. [`split_html`] cuts between paragraphs when it
//! can, else between lines, else between words, else between characters, and never inside a
//! tag or an entity: a tag still open at a cut is closed at the end of the message and opened
//! again at the start of the next one. Lengths are counted in UTF-16 code units of the HTML
//! source, which is never less than what Telegram counts.
//!
//! Knows nothing of replies, questions or the Bot API; pure string work.

use crate::compose::Markup;

/// Telegram's limit for one text message.
pub const MESSAGE_LIMIT: usize = 4096;

/// Makes any text safe inside Telegram HTML.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + text.len() / 8);
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// The composer's [`Markup`] for Telegram's HTML parse mode.
#[derive(Debug, Clone, Copy, Default)]
pub struct TelegramHtml;

impl Markup for TelegramHtml {
    fn escape(&self, text: &str) -> String {
        escape(text)
    }
    fn bold(&self, escaped: &str) -> String {
        format!("<b>{escaped}</b>")
    }
    fn italic(&self, escaped: &str) -> String {
        format!("<i>{escaped}</i>")
    }
}

/// Length as Telegram measures it (UTF-16 code units).
pub fn telegram_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Paragraphs joined into as few messages as fit in `limit`, each one valid HTML.
pub fn pack_paragraphs(paragraphs: &[String], limit: usize) -> Vec<String> {
    let joined = paragraphs
        .iter()
        .map(|paragraph| paragraph.trim())
        .filter(|paragraph| !paragraph.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    split_html(&joined, limit)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AtomKind {
    Open,
    Close,
    Entity,
    Char(char),
}

/// An indivisible piece of the HTML source: a tag, an entity or one character.
#[derive(Debug, Clone, Copy)]
struct Atom {
    start: usize,
    end: usize,
    kind: AtomKind,
    cost: usize,
}

fn atoms(text: &str) -> Vec<Atom> {
    let mut atoms = Vec::new();
    let mut position = 0;
    while let Some(character) = text[position..].chars().next() {
        let rest = &text[position..];
        let (length, kind) = match character {
            '<' => match rest.find('>') {
                Some(close) => {
                    let kind = if rest.starts_with("</") {
                        AtomKind::Close
                    } else {
                        AtomKind::Open
                    };
                    (close + 1, kind)
                }
                None => (1, AtomKind::Char('<')),
            },
            '&' => {
                let entity = rest
                    .char_indices()
                    .skip(1)
                    .take(12)
                    .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '#'))
                    .filter(|(_, c)| *c == ';')
                    .map(|(index, _)| index + 1);
                match entity {
                    Some(length) if length > 2 => (length, AtomKind::Entity),
                    _ => (1, AtomKind::Char('&')),
                }
            }
            other => (other.len_utf8(), AtomKind::Char(other)),
        };
        let end = position + length;
        atoms.push(Atom {
            start: position,
            end,
            kind,
            cost: telegram_len(&text[position..end]),
        });
        position = end;
    }
    atoms
}

/// An open tag: its source (to reopen it) and its name (to close it).
#[derive(Debug, Clone)]
struct OpenTag {
    source: String,
    name: String,
}

impl OpenTag {
    fn new(source: &str) -> OpenTag {
        let name = source
            .trim_start_matches('<')
            .trim_end_matches('>')
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or_default()
            .to_string();
        OpenTag {
            source: source.to_string(),
            name,
        }
    }

    fn closer(&self) -> String {
        format!("</{}>", self.name)
    }
}

fn closers(stack: &[OpenTag]) -> String {
    stack.iter().rev().map(OpenTag::closer).collect()
}

fn closers_cost(stack: &[OpenTag]) -> usize {
    stack.iter().map(|tag| tag.name.len() + 3).sum()
}

fn apply(stack: &mut Vec<OpenTag>, text: &str, atom: &Atom) {
    match atom.kind {
        AtomKind::Open => stack.push(OpenTag::new(&text[atom.start..atom.end])),
        AtomKind::Close => {
            stack.pop();
        }
        AtomKind::Entity | AtomKind::Char(_) => {}
    }
}

fn is_space(atom: &Atom) -> bool {
    matches!(atom.kind, AtomKind::Char(c) if c.is_whitespace())
}

/// Cuts `text` (valid Telegram HTML) into messages of at most `limit` UTF-16 units, each valid
/// HTML on its own. Prefers cutting at a blank line, then a line break, then a space. Empty
/// pieces are dropped.
pub fn split_html(text: &str, limit: usize) -> Vec<String> {
    let atoms = atoms(text);
    let mut messages = Vec::new();
    let mut start = 0;
    let mut open_at_start: Vec<OpenTag> = Vec::new();
    while start < atoms.len() {
        while start < atoms.len() && is_space(&atoms[start]) {
            start += 1;
        }
        if start >= atoms.len() {
            break;
        }
        let prefix: String = open_at_start
            .iter()
            .map(|tag| tag.source.as_str())
            .collect();
        let mut cost = telegram_len(&prefix);
        let mut stack = open_at_start.clone();
        // Best cut so far per kind: blank line, line break, space.
        let mut candidates: [Option<(usize, Vec<OpenTag>)>; 3] = [None, None, None];
        let mut index = start;
        let mut overflow = false;
        while index < atoms.len() {
            let atom = &atoms[index];
            if index > start && is_space(atom) {
                let previous_is_newline = matches!(atoms[index - 1].kind, AtomKind::Char('\n'));
                let rank = match atom.kind {
                    AtomKind::Char('\n') if previous_is_newline => 0,
                    AtomKind::Char('\n') => 1,
                    _ => 2,
                };
                candidates[rank] = Some((index, stack.clone()));
            }
            let mut after = stack.clone();
            apply(&mut after, text, atom);
            if cost + atom.cost + closers_cost(&after) > limit {
                overflow = true;
                break;
            }
            stack = after;
            cost += atom.cost;
            index += 1;
        }
        let (cut, stack_at_cut) = if !overflow {
            (atoms.len(), stack)
        } else if let Some(candidate) = candidates.into_iter().flatten().next() {
            candidate
        } else if index > start {
            (index, stack)
        } else {
            // Not even one atom fits after the reopened tags: give up the tags rather than
            // loop forever (only reachable with an absurdly small limit).
            let mut forced = open_at_start.clone();
            apply(&mut forced, text, &atoms[start]);
            (start + 1, forced)
        };
        let body_end = if cut < atoms.len() {
            atoms[cut].start
        } else {
            text.len()
        };
        let body = text[atoms[start].start..body_end].trim_end();
        let message = format!("{prefix}{body}{}", closers(&stack_at_cut));
        if has_visible_text(&message) {
            messages.push(message);
        }
        start = cut;
        open_at_start = stack_at_cut;
    }
    messages
}

fn has_visible_text(html: &str) -> bool {
    atoms(html).iter().any(|atom| match atom.kind {
        AtomKind::Char(c) => !c.is_whitespace(),
        AtomKind::Entity => true,
        AtomKind::Open | AtomKind::Close => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The text a reader sees: tags dropped, the three entities decoded.
    fn visible(html: &str) -> String {
        let mut text = String::new();
        for atom in atoms(html) {
            match atom.kind {
                AtomKind::Char(c) => text.push(c),
                AtomKind::Entity => text.push_str(match &html[atom.start..atom.end] {
                    "&amp;" => "&",
                    "&lt;" => "<",
                    "&gt;" => ">",
                    other => other,
                }),
                AtomKind::Open | AtomKind::Close => {}
            }
        }
        text
    }

    /// Tags balanced, no bare `<`, `>` or `&`.
    fn is_valid(html: &str) -> bool {
        let mut stack: Vec<String> = Vec::new();
        for atom in atoms(html) {
            let source = &html[atom.start..atom.end];
            match atom.kind {
                AtomKind::Open => stack.push(OpenTag::new(source).name),
                AtomKind::Close => {
                    if stack.pop().as_deref() != Some(&source[2..source.len() - 1]) {
                        return false;
                    }
                }
                AtomKind::Char('<' | '>' | '&') => return false,
                AtomKind::Char(_) | AtomKind::Entity => {}
            }
        }
        stack.is_empty()
    }

    /// Cuts drop or add whitespace only; every other character must survive, in order.
    fn squash_spaces(text: &str) -> String {
        text.split_whitespace().collect()
    }

    #[test]
    fn markup_characters_are_escaped() {
        let cases = [
            ("a < b", "a &lt; b"),
            ("a > b", "a &gt; b"),
            ("Tom & Jerry", "Tom &amp; Jerry"),
            ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
            ("&amp;", "&amp;amp;"),
            ("« Bamako » — ok’", "« Bamako » — ok’"),
            ("", ""),
        ];
        for (text, expected) in cases {
            assert_eq!(escape(text), expected, "{text}");
        }
    }

    #[test]
    fn the_markup_wraps_escaped_text_in_bold_and_italic() {
        let markup = TelegramHtml;
        assert_eq!(markup.bold(&markup.escape("a<b")), "<b>a&lt;b</b>");
        assert_eq!(markup.italic("x"), "<i>x</i>");
    }

    #[test]
    fn short_text_is_one_message() {
        let paragraphs = vec!["<b>Source :</b>".to_string(), "Texte".to_string()];
        assert_eq!(
            pack_paragraphs(&paragraphs, MESSAGE_LIMIT),
            vec!["<b>Source :</b>\n\nTexte".to_string()]
        );
    }

    #[test]
    fn long_text_is_cut_between_paragraphs() {
        let paragraph = "mot ".repeat(400);
        let paragraphs: Vec<String> = (0..8).map(|_| paragraph.trim().to_string()).collect();
        let messages = pack_paragraphs(&paragraphs, MESSAGE_LIMIT);
        assert!(messages.len() > 1);
        for message in &messages {
            assert!(telegram_len(message) <= MESSAGE_LIMIT);
            // Each message is made of whole paragraphs.
            for piece in message.split("\n\n") {
                assert_eq!(piece, paragraph.trim());
            }
        }
    }

    #[test]
    fn a_tag_open_at_a_cut_is_closed_and_reopened() {
        let text = format!("<b>{}</b>", "gras ".repeat(50));
        let messages = split_html(&text, 60);
        assert!(messages.len() > 1);
        for message in &messages {
            assert!(telegram_len(message) <= 60, "{message}");
            assert!(
                message.starts_with("<b>") && message.ends_with("</b>"),
                "{message}"
            );
            assert!(is_valid(message), "{message}");
        }
    }

    #[test]
    fn entities_are_never_cut() {
        let text = escape(&"&<>".repeat(100));
        for limit in [7, 8, 9, 10, 11, 50] {
            for message in split_html(&text, limit) {
                assert!(is_valid(&message), "{limit}: {message}");
                assert!(telegram_len(&message) <= limit);
            }
        }
    }

    #[test]
    fn a_nine_thousand_character_question_fits_in_three_messages() {
        let text = escape(&"é<&> ".repeat(1800));
        assert_eq!(text.chars().filter(|c| *c == 'é').count(), 1800);
        let messages = split_html(&text, MESSAGE_LIMIT);
        for message in &messages {
            assert!(telegram_len(message) <= MESSAGE_LIMIT);
            assert!(is_valid(message));
        }
        assert_eq!(
            squash_spaces(
                &messages
                    .iter()
                    .map(|m| visible(m))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            squash_spaces(&"é<&> ".repeat(1800))
        );
    }

    #[test]
    fn whitespace_only_text_gives_no_message() {
        assert!(split_html(" \n\n ", 10).is_empty());
        assert!(pack_paragraphs(&["".to_string(), " ".to_string()], 10).is_empty());
    }

    proptest! {
        #[test]
        fn any_text_splits_into_valid_messages_that_keep_every_character(
            pieces in proptest::collection::vec((any::<String>(), 0u8..3), 0..12),
            limit in 24usize..400,
        ) {
            let mut html = String::new();
            let mut plain = String::new();
            for (piece, style) in &pieces {
                plain.push_str(piece);
                plain.push(' ');
                let escaped = escape(piece);
                match style {
                    0 => html.push_str(&escaped),
                    1 => html.push_str(&format!("<b>{escaped}</b>")),
                    _ => html.push_str(&format!("<i><b>{escaped}</b></i>")),
                }
                html.push(' ');
            }
            let messages = split_html(&html, limit);
            for message in &messages {
                prop_assert!(telegram_len(message) <= limit, "{} > {limit}: {message:?}", telegram_len(message));
                prop_assert!(is_valid(message), "{message:?}");
            }
            let seen: String = messages.iter().map(|m| visible(m)).collect::<Vec<_>>().join(" ");
            prop_assert_eq!(squash_spaces(&seen), squash_spaces(&plain));
        }
    }
}

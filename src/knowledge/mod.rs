//! The knowledge pack as validated domain types: articles, claims, Q&A entries, gaps (what
//! the articles do not say), small talk, disagreements and synonyms.
//!
//! A [`Pack`] can only be built by [`Pack::from_sources`], which parses the TOML texts it is
//! given and checks every rule of `knowledge/README.md` (verbatim quotes, references, ids…).
//! Once built, a pack is known good: the rest of the program never re-checks it.
//!
//! This module does not read files (the caller hands it file names and contents, see
//! [`crate::files`]) and knows nothing of matching or of Telegram.

mod date;
mod parse;

use std::collections::HashMap;
use std::fmt;

pub use date::{MONTHS_EN, MONTHS_FR, PublicationDate};
pub use parse::{SourceFile, SourceKind};

use crate::text::Lang;

/// Index of an article in [`Pack::articles`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleIndex(pub usize);

/// Index of a claim in [`Pack::claims`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimIndex(pub usize);

#[derive(Debug, Clone)]
pub struct Article {
    pub id: String,
    /// `None` when the text does not name its outlet.
    pub outlet: Option<String>,
    pub authors: Vec<String>,
    /// `None` when the text has no headline.
    pub title: Option<String>,
    /// How readers refer to the article besides its outlet and authors ("l'annonce du salon",
    /// "le documentaire"): a question naming it so is covered by what the article says.
    pub known_as: Vec<String>,
    pub language: Lang,
    pub published: PublicationDate,
    pub text: String,
    /// The pack file it was read from, for messages.
    pub file: String,
}

/// One supporting source of a claim: an article and the exact words it uses.
#[derive(Debug, Clone)]
pub struct ClaimSource {
    pub article: ArticleIndex,
    pub quote: String,
}

#[derive(Debug, Clone)]
pub struct Claim {
    pub id: String,
    pub statement_fr: String,
    pub statement_en: String,
    /// At least one; several when articles corroborate each other.
    pub sources: Vec<ClaimSource>,
    pub file: String,
}

impl Claim {
    pub fn statement(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.statement_fr,
            Lang::En => &self.statement_en,
        }
    }
}

/// A Q&A entry (an intent): phrasings, and an answer resting on claims.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub questions: Vec<String>,
    pub answer_fr: String,
    pub answer_en: String,
    /// At least one: citations come from these claims' sources.
    pub claims: Vec<ClaimIndex>,
    pub file: String,
}

impl Entry {
    pub fn answer(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.answer_fr,
            Lang::En => &self.answer_en,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Smalltalk {
    pub id: String,
    pub questions: Vec<String>,
    pub answer_fr: String,
    pub answer_en: String,
    /// The answer is followed by the list of the pack's articles.
    pub list_sources: bool,
    /// The reply to a message with no word to match ("tu peux faire quoi ?", "ok ?"): at
    /// most one small talk of the pack has it.
    pub when_nothing_to_match: bool,
    pub file: String,
}

impl Smalltalk {
    pub fn answer(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.answer_fr,
            Lang::En => &self.answer_en,
        }
    }
}

/// Something readers ask that the articles do not say ("combien coûte un TB2 ?"): phrasings,
/// and an honest answer saying what is missing. Matched like an entry, but the reply is
/// `no_answer`; the related entries (what the articles do say nearby) are offered instead.
/// A gap's text states no fact of its own, so it cites nothing.
#[derive(Debug, Clone)]
pub struct Gap {
    pub id: String,
    pub questions: Vec<String>,
    pub answer_fr: String,
    pub answer_en: String,
    /// Positions in [`Pack::entries`].
    pub related: Vec<usize>,
    pub file: String,
}

impl Gap {
    pub fn answer(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.answer_fr,
            Lang::En => &self.answer_en,
        }
    }
}

/// Articles that disagree: each side is a claim with its own sources.
#[derive(Debug, Clone)]
pub struct Disagreement {
    pub id: String,
    pub summary_fr: String,
    pub summary_en: String,
    /// Two or more.
    pub sides: Vec<ClaimIndex>,
    pub file: String,
}

impl Disagreement {
    pub fn summary(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.summary_fr,
            Lang::En => &self.summary_en,
        }
    }
}

/// Variants (words or phrases, as written by the curator) replaced by one canonical word.
#[derive(Debug, Clone)]
pub struct SynonymGroup {
    pub canonical: String,
    pub variants: Vec<String>,
    /// A question holding this word ("prix", "combien", "quand") is only answered by an
    /// answer whose material holds it too: it names what is asked.
    pub must_match: bool,
}

/// A validated knowledge pack.
#[derive(Debug, Clone)]
pub struct Pack {
    pub articles: Vec<Article>,
    pub claims: Vec<Claim>,
    pub entries: Vec<Entry>,
    pub smalltalk: Vec<Smalltalk>,
    pub gaps: Vec<Gap>,
    pub disagreements: Vec<Disagreement>,
    pub synonyms: Vec<SynonymGroup>,
    disagreements_by_claim: HashMap<ClaimIndex, Vec<usize>>,
}

impl Pack {
    pub fn article(&self, index: ArticleIndex) -> &Article {
        &self.articles[index.0]
    }

    pub fn claim(&self, index: ClaimIndex) -> &Claim {
        &self.claims[index.0]
    }

    /// The disagreements in which this claim is one side.
    pub fn disagreements_of(&self, claim: ClaimIndex) -> impl Iterator<Item = &Disagreement> {
        self.disagreements_by_claim
            .get(&claim)
            .into_iter()
            .flatten()
            .map(|&index| &self.disagreements[index])
    }

    pub fn entry_by_id(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.id == id)
    }
}

/// One problem found in the pack, with what a curator needs to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackProblem {
    pub file: String,
    /// The id of the article, claim, entry… concerned, when there is one.
    pub id: Option<String>,
    pub problem: String,
}

impl fmt::Display for PackProblem {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(formatter, "{}: {}: {}", self.file, id, self.problem),
            None => write!(formatter, "{}: {}", self.file, self.problem),
        }
    }
}

/// Every problem found in a pack; the pack is refused if there is at least one.
#[derive(Debug, Clone, thiserror::Error)]
pub struct PackError {
    pub problems: Vec<PackProblem>,
}

impl fmt::Display for PackError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            formatter,
            "the knowledge pack has {} problem(s):",
            self.problems.len()
        )?;
        for problem in &self.problems {
            writeln!(formatter, "{problem}")?;
        }
        Ok(())
    }
}

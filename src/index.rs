//! The search index built once from a [`Pack`]: synonyms, vocabulary, typo correction and an
//! inverted index from terms to the texts that contain them.
//!
//! Indexed texts ("documents") are the phrasings of entries and small talk, entries' answers
//! and claims' statements. A question is analysed into weighted terms ([`Index::analyze`]),
//! and only the documents sharing a term with it are ever looked at ([`Index::score`]): the
//! cost of a question follows the length of the posting lists it touches, not the size of the
//! pack. Typo correction uses a deletion index (SymSpell's idea), not a scan of the
//! vocabulary.
//!
//! This module knows nothing of thresholds or answers: it scores, [`crate::engine`] decides.

use std::collections::{HashMap, HashSet};

use crate::cards;
use crate::focus::{count_modifier, focus_word};
use crate::knowledge::{Pack, PackProblem, SynonymGroup};
use crate::text::{
    EXACTNESS_MARKERS, Lang, PLACE_PREPOSITIONS, QUESTION_WORDS, drop_clause_when,
    drop_conjunction_or, drop_greetings, guess_language, is_generic, is_greeting, is_hello,
    is_listed_generic, is_stop_word, stem, tokenize,
};

/// What a document speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Entry(usize),
    Claim(usize),
    Smalltalk(usize),
    /// An article's card: questions about the article itself (see [`crate::cards`]).
    Article(usize),
    /// Something the articles do not say: matched to be declined honestly.
    Gap(usize),
}

/// How a document's text relates to a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DocumentKind {
    /// A way of asking (entry or small-talk phrasing): question words must match literally.
    Phrasing,
    /// A statement (an answer or a claim): question words are matched by the kind of
    /// information the statement carries (a number for "combien", a date for "quand").
    Statement,
    /// All the words of an entry (phrasings, answers, its claims' statements and quotes) or
    /// of a claim (statements and quotes) in one bag: it catches questions that mix the words
    /// of several phrasings, and tells whether the target's material covers the question. Scored on question coverage only, and mixed
    /// with the entry's best single text (see [`ScoringWeights::bag_weight`]).
    Bag,
}

#[derive(Debug)]
struct Document {
    target: Target,
    kind: DocumentKind,
    terms: Vec<u32>,
    weight_sum: f64,
    has_number: bool,
    has_date: bool,
    /// A day of the month next to a month name ("11 novembre", "1er avril", "November 12").
    has_day: bool,
    /// Terms that follow a number within two content words ("*deux* drones Akinci", "une
    /// *trentaine* d'entreprises turques"): what the text counts.
    counted: Vec<u32>,
    /// Those that follow an exact number ("*deux* drones", not "des *dizaines* de pilotes").
    counted_exactly: Vec<u32>,
}

/// A target's score for one question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub target: Target,
    /// Ranking score (0..1).
    pub score: f64,
    /// Share of the question's weight found anywhere in the target's material (its bag):
    /// low when the question asks about something the target does not speak of.
    pub coverage: f64,
}

/// One analysed word of a question.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryTerm {
    /// The word as it reached the index (after synonyms and any correction).
    pub word: String,
    /// `None` when the pack does not know the word at all.
    pub term: Option<u32>,
    pub weight: f64,
    /// The word the user typed, when typo correction replaced it.
    pub corrected_from: Option<String>,
    pub question_word: bool,
    /// For the word the question asks about ("combien de *visiteurs*", "quel *pays*", "how
    /// many *drones*", "la date *de naissance*"), the word that marks it ("combien", "quel",
    /// "quand" for a date): an answer must speak of it (see [`Index::covers`] and
    /// [`Index::counts`], and [`crate::focus::focus_word`]).
    pub focus: Option<String>,
    /// The word narrowing the counted noun of "combien de X Y" (see
    /// [`crate::focus::count_modifier`]): an answer must count X and Y together.
    pub narrows_count: bool,
    /// On the focus of "combien", when the question insists on an exact figure ("combien
    /// *exactement*", "exactly how many"): an answer that only gives a rough one ("des
    /// dizaines", "a few dozen") does not count it (see [`Index::counts`]).
    pub exact_count: bool,
    /// On "quand", when the question asks for a day ("quel jour", "date exacte", "what
    /// day"): an answer whose statements give only a month or a year ("en juillet", "début
    /// novembre 2024") does not answer it (see [`Index::covers`]).
    pub exact_day: bool,
    /// One of the words a question offers as alternatives ("colonel *ou* général", "Russia
    /// *or* Turkey"): an answer speaking of one of them covers the others.
    pub alternative: bool,
    /// A word the chosen answer must hold: a word of a `must_match` synonym group ("prix",
    /// "combien", "quand"), or a word the pack never uses right after a place preposition
    /// ("en", "au", "o"…; most often a place: "en Ukraine") or a year it never gives ("en
    /// 2027").
    pub must_match: bool,
}

impl QueryTerm {
    pub fn is_unknown(&self) -> bool {
        self.term.is_none()
    }
}

/// Tunable scoring weights, part of [`crate::engine::MatchConfig`].
#[derive(Debug, Clone, Copy)]
pub struct ScoringWeights {
    /// Share of the score given to how much of the document the question covers (0..1).
    pub document_coverage_weight: f64,
    /// Weight kept by a term reached through typo correction (0..1).
    pub corrected_term_weight: f64,
    /// Factor applied to statement documents (answers, claims) against phrasings.
    pub statement_factor: f64,
    /// Share of an entry's score given to its bag of words (how much of the question all its
    /// phrasings and answers cover together), the rest to its best single text.
    pub bag_weight: f64,
    /// Factor on the weight of generic words (see [`crate::text::is_generic`]).
    pub generic_word_weight: f64,
    /// Term weights are `idf ^ idf_exponent`: below 1, rare words weigh less against common
    /// ones.
    pub idf_exponent: f64,
}

const MONTH_WORDS: &[&str] = &[
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "mi",
];

/// Whether folded words name a day of a month: a number from 1 to 31 right before or after
/// a month ("11 novembre", "November 12"; "1er avril" reads "premier avril" once synonyms
/// are applied).
fn names_a_day(words: &[String]) -> bool {
    let is_day = |word: &String| {
        word == "premier"
            || word.len() <= 2 && word.parse::<u32>().is_ok_and(|day| (1..=31).contains(&day))
    };
    words.windows(2).any(|pair| {
        let month_first = MONTH_WORDS.contains(&pair[0].as_str()) && is_day(&pair[1]);
        let day_first = is_day(&pair[0]) && MONTH_WORDS.contains(&pair[1].as_str());
        month_first || day_first
    })
}

/// Whether the question asks for a day, not only a month or a year: "quel jour", "what day",
/// "le combien", "jour exact", "date exacte / précise", "exact date".
fn asks_for_a_day(tokens: &[String]) -> bool {
    let exact = |word: &str| EXACTNESS_MARKERS.contains(&word);
    tokens.windows(2).any(|pair| {
        let (first, second) = (pair[0].as_str(), pair[1].as_str());
        matches!(first, "quel" | "kel" | "what" | "which") && matches!(second, "jour" | "day")
            || first == "le" && second == "combien"
            || matches!(first, "jour" | "date" | "day") && exact(second)
            || exact(first) && matches!(second, "jour" | "date" | "day")
    })
}

/// A year written in digits, 1900 to 2099.
fn is_year(word: &str) -> bool {
    word.len() == 4
        && word.chars().all(|c| c.is_ascii_digit())
        && (word.starts_with("19") || word.starts_with("20"))
}

/// Number words that give a rough figure, not an exact one ("des *dizaines*").
const APPROXIMATE_NUMBER_WORDS: &[&str] = &[
    "trentaine",
    "dizaine",
    "dizaines",
    "quinzaine",
    "centaine",
    "centaines",
    "milliers",
    "dozens",
];

/// Number words that give an exact figure (see also [`APPROXIMATE_NUMBER_WORDS`]).
const EXACT_NUMBER_WORDS: &[&str] = &[
    "un",
    "une",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "douze",
    "quinze",
    "vingt",
    "trente",
    "quatrieme",
    "premier",
    "premiere",
    "one",
    "two",
    "three",
    "four",
    "five",
    "ten",
    "thirty",
    "fourth",
    "first",
];

/// Synonym phrases indexed by their first word, longest first.
#[derive(Debug, Default)]
struct SynonymTable {
    by_first_word: HashMap<String, Vec<(Vec<String>, String)>>,
    /// Single-word variant → its canonical word.
    single_words: HashMap<String, String>,
}

impl SynonymTable {
    /// Phrases are stored with their words already read through the single-word variants
    /// ("quel mois" is also found as "kel mois", "combien de temps" as "cmb de temps").
    fn new(groups: &[SynonymGroup]) -> SynonymTable {
        let mut single_words: HashMap<String, String> = HashMap::new();
        for group in groups {
            for variant in &group.variants {
                if let [word] = tokenize(variant).as_slice() {
                    single_words
                        .entry(word.clone())
                        .or_insert_with(|| group.canonical.clone());
                }
            }
        }
        let mut table = SynonymTable {
            single_words,
            ..SynonymTable::default()
        };
        for group in groups {
            for variant in &group.variants {
                let raw = tokenize(variant);
                let normalized: Vec<String> = raw
                    .iter()
                    .map(|word| table.normalized(word).to_string())
                    .collect();
                // "salon defense" read as "bamex defense" would swallow the "defence" of
                // "BAMEX defence show": a phrase that starts with its own group's word stays
                // as written.
                let starts_with_own_word =
                    raw.len() > 1 && normalized.first() == Some(&group.canonical);
                // Every phrase is found under its first word as normalized, the one key
                // `apply` looks up.
                let Some(key) = normalized.first().cloned() else {
                    continue;
                };
                let words = if starts_with_own_word {
                    raw
                } else {
                    normalized
                };
                table
                    .by_first_word
                    .entry(key)
                    .or_default()
                    .push((words, group.canonical.clone()));
            }
        }
        for phrases in table.by_first_word.values_mut() {
            phrases.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
            phrases.dedup();
        }
        table
    }

    /// A word read through the single-word variants ("kel" → "quel").
    fn normalized<'a>(&'a self, word: &'a str) -> &'a str {
        self.single_words.get(word).map_or(word, String::as_str)
    }

    /// Replaces every variant phrase by its canonical word, longest match first.
    fn apply(&self, words: &[String]) -> Vec<String> {
        let normalized: Vec<&str> = words.iter().map(|word| self.normalized(word)).collect();
        let mut output = Vec::with_capacity(words.len());
        let mut position = 0;
        'words: while position < words.len() {
            if let Some(phrases) = self.by_first_word.get(normalized[position]) {
                for (phrase, canonical) in phrases {
                    let end = position + phrase.len();
                    let matches = |index: usize, expected: &String| {
                        words[position + index] == *expected
                            || normalized[position + index] == expected.as_str()
                    };
                    if end <= words.len()
                        && phrase
                            .iter()
                            .enumerate()
                            .all(|(index, expected)| matches(index, expected))
                    {
                        output.push(canonical.clone());
                        position = end;
                        continue 'words;
                    }
                }
            }
            output.push(words[position].clone());
            position += 1;
        }
        output
    }

    fn canonical_of_word(&self, word: &str) -> Option<&str> {
        self.single_words.get(word).map(String::as_str)
    }
}

/// The index over one pack.
#[derive(Debug)]
pub struct Index {
    synonyms: SynonymTable,
    term_ids: HashMap<String, u32>,
    idf: Vec<f64>,
    postings: Vec<Vec<u32>>,
    documents: Vec<Document>,
    /// Known surface words (folded, after synonyms), for typo correction.
    surface_words: Vec<String>,
    surface_set: HashSet<String>,
    /// Deletion variants → indices into `surface_words`.
    deletions: HashMap<String, Vec<u32>>,
    /// Words written with a capital in the pack (names): short typos are only corrected to
    /// these, so that "coute" does not become "cote".
    name_like: HashSet<String>,
    /// Terms (stemmed) of the words the articles capitalise inside a sentence: names of
    /// people, places, countries, companies ("Burkina", "Alger", "Roketsan").
    proper_nouns: HashSet<String>,
    unknown_weight: f64,
    weights: ScoringWeights,
    /// Each target's bag document.
    bag_of: HashMap<Target, usize>,
    /// Each target's phrasing and statement documents.
    texts_of: HashMap<Target, Vec<usize>>,
    /// Canonical words of the synonym groups marked `must_match`.
    must_match: HashSet<String>,
    /// Small-talk phrasings, folded word for word.
    exact_smalltalk: HashMap<String, Target>,
}

/// Words that start with a capital letter in `text`, folded.
fn collect_name_like_words(text: &str, name_like: &mut HashSet<String>) {
    for raw_word in text.split(|c: char| !c.is_alphanumeric()) {
        if raw_word.chars().next().is_some_and(char::is_uppercase) {
            name_like.extend(tokenize(raw_word));
        }
    }
}

/// Terms of the words capitalised inside a sentence of `text` (not after . ! ? or a line
/// start, where any word takes a capital).
fn collect_proper_nouns(text: &str, proper_nouns: &mut HashSet<String>) {
    let mut sentence_start = true;
    let mut word = String::new();
    for character in text.chars().chain(std::iter::once(' ')) {
        if character.is_alphanumeric() {
            word.push(character);
            continue;
        }
        if !word.is_empty() {
            if !sentence_start && word.chars().next().is_some_and(char::is_uppercase) {
                for token in tokenize(&word) {
                    proper_nouns.insert(term_text(&token));
                }
            }
            sentence_start = false;
            word.clear();
        }
        if ".!?\n:«\"".contains(character) {
            sentence_start = true;
        }
    }
}

/// French elisions typed without their apostrophe, longest first ("jusqua", "dhonneur").
const GLUED_ELISIONS: &[&str] = &["jusqu", "qu", "l", "d", "j", "m", "n", "s", "t", "c"];

/// What [`Index::repair_sms_spelling`] made of an unknown word.
enum Repair {
    /// A word the pack knows.
    Known(String),
    /// A stop word glued to an elision ("quil", "cest"): nothing to match.
    StopWord,
    None,
}

/// Shortest known word an unknown word may be read as an extension of.
const MIN_ROOT_LENGTH: usize = 5;
/// Longest derivational ending added to a known word.
const MAX_SUFFIX_LENGTH: usize = 5;

/// Below this length, typos are only corrected to names.
const MIN_LENGTH_FOR_ANY_CORRECTION: usize = 7;

/// The tokens of a text with conjunctions that look like content words removed ("or" and "ou"
/// meaning or, "quand"/"when" opening a clause), and the words joined by "or"/"ou".
fn meaningful_tokens(text: &str) -> (Vec<String>, Vec<String>) {
    let mut words = tokenize(text);
    let english = words.iter().any(|word| word == "or") && guess_language(text) == Lang::En;
    let alternatives = drop_conjunction_or(text, english, &mut words);
    drop_clause_when(text, &mut words);
    (words, alternatives)
}

/// Content words of a text: tokens, synonyms applied, stop words removed.
fn content_words(synonyms: &SynonymTable, text: &str) -> Vec<String> {
    without_stop_words(synonyms.apply(&meaningful_tokens(text).0))
}

/// A text with the greetings that open or close it removed (see
/// [`crate::text::drop_greetings`]), as folded words.
fn without_greetings(text: &str) -> String {
    let mut tokens = tokenize(text);
    let before = tokens.len();
    drop_greetings(&mut tokens);
    if tokens.len() == before {
        return text.to_string();
    }
    tokens.join(" ")
}

fn without_stop_words(words: Vec<String>) -> Vec<String> {
    words
        .into_iter()
        .filter(|word| !is_stop_word(word))
        .collect()
}

fn term_text(word: &str) -> String {
    if QUESTION_WORDS.contains(&word) {
        word.to_string()
    } else {
        stem(word)
    }
}

/// Longer words are never corrected (a deletion index over a very long word would be costly,
/// and no word of the pack is that long).
const MAX_CORRECTABLE_LENGTH: usize = 24;

fn max_edit_distance(word: &str) -> usize {
    let length = word.chars().count();
    if word.chars().any(|c| c.is_ascii_digit()) || !(4..=MAX_CORRECTABLE_LENGTH).contains(&length) {
        0
    } else if length < 8 {
        1
    } else {
        2
    }
}

/// The word and every word obtained by deleting up to `distance` characters.
fn deletion_variants(word: &str, distance: usize) -> HashSet<String> {
    let mut variants = HashSet::new();
    variants.insert(word.to_string());
    let mut frontier = vec![word.to_string()];
    for _ in 0..distance {
        let mut next = Vec::new();
        for current in &frontier {
            let characters: Vec<char> = current.chars().collect();
            for skip in 0..characters.len() {
                let variant: String = characters
                    .iter()
                    .enumerate()
                    .filter(|(position, _)| *position != skip)
                    .map(|(_, c)| *c)
                    .collect();
                if variants.insert(variant.clone()) {
                    next.push(variant);
                }
            }
        }
        frontier = next;
    }
    variants
}

/// Phrasings that read the same to the matcher (same content words after folding, synonyms
/// and stemming) in two different entries, gaps or small-talk items: the matcher cannot tell
/// them apart, and the first in pack order always wins. One warning per pair, naming the file,
/// both ids and both phrasings.
pub fn shared_phrasings(pack: &Pack) -> Vec<PackProblem> {
    let synonyms = SynonymTable::new(&pack.synonyms);
    // Entry and gap phrasings are read as the index reads them: without their greetings.
    let owners = pack
        .entries
        .iter()
        .map(|entry| (&entry.id, &entry.file, &entry.questions, true))
        .chain(
            pack.gaps
                .iter()
                .map(|gap| (&gap.id, &gap.file, &gap.questions, true)),
        )
        .chain(
            pack.smalltalk
                .iter()
                .map(|talk| (&talk.id, &talk.file, &talk.questions, false)),
        );
    let mut first_owner: HashMap<Vec<String>, (&String, &String)> = HashMap::new();
    let mut problems = Vec::new();
    for (id, file, questions, strip_greetings) in owners {
        for question in questions {
            let read = if strip_greetings {
                without_greetings(question)
            } else {
                question.clone()
            };
            let mut key: Vec<String> = content_words(&synonyms, &read)
                .iter()
                .map(|word| term_text(word))
                .collect();
            key.sort();
            key.dedup();
            if key.is_empty() {
                continue;
            }
            match first_owner.get(&key) {
                Some((other_id, other_question)) if *other_id != id => {
                    problems.push(PackProblem {
                        file: file.clone(),
                        id: Some(id.clone()),
                        problem: format!(
                            "the phrasing \"{question}\" reads the same as \"{other_question}\" of {other_id}: the matcher cannot tell them apart, reword or remove one"
                        ),
                    });
                }
                Some(_) => {}
                None => {
                    first_owner.insert(key, (id, question));
                }
            }
        }
    }
    problems
}

impl Index {
    pub fn build(pack: &Pack, weights: ScoringWeights) -> Index {
        let synonyms = SynonymTable::new(&pack.synonyms);
        let mut texts: Vec<(Target, DocumentKind, &str)> = Vec::new();
        // Entry phrasings are read as questions are: without the greetings around them.
        let entry_phrasings: Vec<Vec<String>> = pack
            .entries
            .iter()
            .map(|entry| {
                entry
                    .questions
                    .iter()
                    .map(|question| without_greetings(question))
                    .collect()
            })
            .collect();
        for (position, entry) in pack.entries.iter().enumerate() {
            for question in &entry_phrasings[position] {
                texts.push((Target::Entry(position), DocumentKind::Phrasing, question));
            }
            texts.push((
                Target::Entry(position),
                DocumentKind::Statement,
                &entry.answer_fr,
            ));
            texts.push((
                Target::Entry(position),
                DocumentKind::Statement,
                &entry.answer_en,
            ));
        }
        for (position, claim) in pack.claims.iter().enumerate() {
            texts.push((
                Target::Claim(position),
                DocumentKind::Statement,
                &claim.statement_fr,
            ));
            texts.push((
                Target::Claim(position),
                DocumentKind::Statement,
                &claim.statement_en,
            ));
        }
        let gap_phrasings: Vec<Vec<String>> = pack
            .gaps
            .iter()
            .map(|gap| {
                gap.questions
                    .iter()
                    .map(|question| without_greetings(question))
                    .collect()
            })
            .collect();
        for (position, phrasings) in gap_phrasings.iter().enumerate() {
            for question in phrasings {
                texts.push((Target::Gap(position), DocumentKind::Phrasing, question));
            }
        }
        for (position, talk) in pack.smalltalk.iter().enumerate() {
            for question in &talk.questions {
                texts.push((
                    Target::Smalltalk(position),
                    DocumentKind::Phrasing,
                    question,
                ));
            }
        }
        let card_phrasings: Vec<Vec<String>> = pack.articles.iter().map(cards::phrasings).collect();
        for (position, phrasings) in card_phrasings.iter().enumerate() {
            for phrasing in phrasings {
                texts.push((Target::Article(position), DocumentKind::Phrasing, phrasing));
            }
        }

        // A target's material: statements, quotes, and who published them (so that "selon Le
        // Monde" or "d'après Fleur Kouadio" is covered by what those sources say).
        let claim_words = |claim: &crate::knowledge::Claim| {
            let mut words = vec![claim.statement_fr.clone(), claim.statement_en.clone()];
            for source in &claim.sources {
                let article = pack.article(source.article);
                words.push(source.quote.clone());
                words.extend(article.outlet.iter().cloned());
                words.extend(article.authors.iter().cloned());
                words.extend(article.known_as.iter().cloned());
            }
            words
        };
        let mut bags: Vec<(Target, DocumentKind, String)> = Vec::new();
        for (position, entry) in pack.entries.iter().enumerate() {
            let mut bag = entry_phrasings[position].clone();
            bag.push(entry.answer_fr.clone());
            bag.push(entry.answer_en.clone());
            for &claim in &entry.claims {
                bag.extend(claim_words(pack.claim(claim)));
            }
            bags.push((Target::Entry(position), DocumentKind::Bag, bag.join(" \n ")));
        }
        for (position, claim) in pack.claims.iter().enumerate() {
            let bag = claim_words(claim).join(" \n ");
            bags.push((Target::Claim(position), DocumentKind::Bag, bag));
        }
        for (position, gap) in pack.gaps.iter().enumerate() {
            let mut bag = gap_phrasings[position].clone();
            bag.push(gap.answer_fr.clone());
            bag.push(gap.answer_en.clone());
            bags.push((Target::Gap(position), DocumentKind::Bag, bag.join(" \n ")));
        }
        for (position, talk) in pack.smalltalk.iter().enumerate() {
            let bag = talk.questions.join(" \n ");
            bags.push((Target::Smalltalk(position), DocumentKind::Bag, bag));
        }
        for (position, article) in pack.articles.iter().enumerate() {
            let mut bag = card_phrasings[position].clone();
            bag.extend(cards::material(article));
            bags.push((
                Target::Article(position),
                DocumentKind::Bag,
                bag.join(" \n "),
            ));
        }
        let all_texts = texts
            .iter()
            .map(|(target, kind, text)| (*target, *kind, *text))
            .chain(
                bags.iter()
                    .map(|(target, kind, text)| (*target, *kind, text.as_str())),
            );

        let mut term_ids: HashMap<String, u32> = HashMap::new();
        let mut postings: Vec<Vec<u32>> = Vec::new();
        let mut surface_set: HashSet<String> = HashSet::new();
        let mut name_like: HashSet<String> = HashSet::new();
        let mut proper_nouns: HashSet<String> = HashSet::new();
        for article in &pack.articles {
            collect_proper_nouns(&article.text, &mut proper_nouns);
        }
        // Each document's `weight_sum` needs the idf of every term, known once all are read.
        let mut documents: Vec<Document> = Vec::new();
        for (document_id, (target, kind, text)) in all_texts.enumerate() {
            collect_name_like_words(text, &mut name_like);
            let words = content_words(&synonyms, text);
            let mut terms: Vec<u32> = Vec::new();
            let mut counted: Vec<u32> = Vec::new();
            let mut counted_exactly: Vec<u32> = Vec::new();
            let is_approximate_number =
                |word: &String| APPROXIMATE_NUMBER_WORDS.contains(&word.as_str());
            let is_number = |word: &String| {
                word.chars().all(|c| c.is_ascii_digit())
                    || EXACT_NUMBER_WORDS.contains(&word.as_str())
                    || is_approximate_number(word)
            };
            for (position, word) in words.iter().enumerate() {
                surface_set.insert(word.clone());
                let next_id = term_ids.len() as u32;
                let id = *term_ids.entry(term_text(word)).or_insert(next_id);
                if id as usize == postings.len() {
                    postings.push(Vec::new());
                }
                if !terms.contains(&id) {
                    terms.push(id);
                    postings[id as usize].push(document_id as u32);
                }
                let before = &words[position.saturating_sub(2)..position];
                if is_number(word) || !before.iter().any(is_number) {
                    continue;
                }
                if !counted.contains(&id) {
                    counted.push(id);
                }
                let exact = !before.iter().any(is_approximate_number);
                if exact && !counted_exactly.contains(&id) {
                    counted_exactly.push(id);
                }
            }
            let has_number = words.iter().any(is_number);
            let date_words = synonyms.apply(&tokenize(text));
            let has_date = date_words
                .iter()
                .any(|word| MONTH_WORDS.contains(&word.as_str()) || is_year(word));
            let has_day = has_date && names_a_day(&date_words);
            documents.push(Document {
                target,
                kind,
                terms,
                weight_sum: 0.0,
                has_number,
                has_date,
                has_day,
                counted,
                counted_exactly,
            });
        }
        // Single-word synonym variants are known spellings too ("akinji" corrects to it).
        for variant in synonyms.single_words.keys() {
            surface_set.insert(variant.clone());
        }

        let document_count = documents.len().max(1) as f64;
        let idf: Vec<f64> = postings
            .iter()
            .map(|list| {
                (1.0 + document_count / list.len().max(1) as f64)
                    .ln()
                    .powf(weights.idf_exponent)
            })
            .collect();
        for document in &mut documents {
            document.weight_sum = document.terms.iter().map(|&term| idf[term as usize]).sum();
        }

        let mut surface_words: Vec<String> = surface_set.iter().cloned().collect();
        surface_words.sort();
        let mut deletions: HashMap<String, Vec<u32>> = HashMap::new();
        for (position, word) in surface_words.iter().enumerate() {
            let distance = max_edit_distance(word);
            if distance == 0 {
                continue;
            }
            for variant in deletion_variants(word, distance) {
                deletions.entry(variant).or_default().push(position as u32);
            }
        }

        let bag_of = documents
            .iter()
            .enumerate()
            .filter(|(_, document)| document.kind == DocumentKind::Bag)
            .map(|(position, document)| (document.target, position))
            .collect();
        let mut texts_of: HashMap<Target, Vec<usize>> = HashMap::new();
        for (position, document) in documents.iter().enumerate() {
            if document.kind != DocumentKind::Bag {
                texts_of.entry(document.target).or_default().push(position);
            }
        }
        let must_match = pack
            .synonyms
            .iter()
            .filter(|group| group.must_match)
            .map(|group| group.canonical.clone())
            .collect();
        let mut exact_smalltalk = HashMap::new();
        for (position, talk) in pack.smalltalk.iter().enumerate() {
            for question in &talk.questions {
                let words = tokenize(question).join(" ");
                if !words.is_empty() {
                    exact_smalltalk
                        .entry(words)
                        .or_insert(Target::Smalltalk(position));
                }
            }
        }
        Index {
            exact_smalltalk,
            bag_of,
            texts_of,
            must_match,
            synonyms,
            term_ids,
            unknown_weight: (1.0 + document_count).ln().powf(weights.idf_exponent),
            name_like,
            proper_nouns,
            idf,
            postings,
            documents,
            surface_words,
            surface_set,
            deletions,
            weights,
        }
    }

    /// The small talk whose phrasing is exactly the question, word for word after folding
    /// ("What can you do?" is all stop words, yet a known way of asking for help).
    pub fn smalltalk_said_exactly(&self, question: &str) -> Option<Target> {
        let words = tokenize(question).join(" ");
        if words.is_empty() {
            return None;
        }
        self.exact_smalltalk.get(&words).copied()
    }

    /// Number of indexed documents.
    pub fn document_count(&self) -> usize {
        self.documents.len()
    }

    /// Analyses a question into weighted terms (duplicates removed, order kept).
    pub fn analyze(&self, question: &str) -> Vec<QueryTerm> {
        let mut terms: Vec<QueryTerm> = Vec::new();
        // Only a question is stripped of its greetings: the pack's texts (and the bags that
        // join them) keep theirs.
        let (mut tokens, alternatives) = meaningful_tokens(question);
        drop_greetings(&mut tokens);
        let alternatives: Vec<String> = alternatives
            .iter()
            .flat_map(|word| self.synonyms.apply(std::slice::from_ref(word)))
            .collect();
        let question_words = self.synonyms.apply(&tokens);
        let focus_word = focus_word(&question_words);
        let count_modifier = focus_word
            .as_ref()
            .and_then(|(_, focus)| count_modifier(&question_words, focus));
        let insists_on_exact = question_words
            .iter()
            .any(|word| EXACTNESS_MARKERS.contains(&word.as_str()));
        let day_asked = asks_for_a_day(&tokens);
        for (position, typed) in question_words.iter().enumerate() {
            if is_stop_word(typed) {
                continue;
            }
            let typed = typed.clone();
            // "combien de soldats russes *en Ukraine*": a word the pack never uses after a place
            // preposition ("en / au / aux / o / in") is most often a place, and what the
            // question is about, whatever else it shares with an answer.
            let after_place_preposition = position.checked_sub(1).is_some_and(|previous| {
                PLACE_PREPOSITIONS.contains(&question_words[previous].as_str())
            });
            let focus = focus_word
                .as_ref()
                .filter(|(_, focus)| *focus == typed)
                .map(|(marker, _)| marker.clone());
            let narrows_count = count_modifier.as_deref() == Some(typed.as_str());
            let alternative = alternatives.contains(&typed);
            let mut word = typed.clone();
            let mut query_term = self.lookup(&word);
            // A generic word the pack happens not to use ("dite", "lecteurs") is no typo:
            // correcting it would turn it into some other word ("dite" → "date").
            let correctable = query_term.is_unknown() && !is_listed_generic(&word);
            if correctable {
                match self.repair_sms_spelling(&word) {
                    Repair::Known(repaired) => {
                        query_term = self.lookup(&repaired);
                        query_term.corrected_from = Some(typed.clone());
                        word = repaired;
                    }
                    Repair::StopWord => continue,
                    Repair::None => {}
                }
            }
            if correctable
                && query_term.is_unknown()
                && let Some(canonical) = self
                    .correct(&word)
                    .and_then(|corrected| self.known_canonical(&corrected))
            {
                let mut corrected_term = self.lookup(&canonical);
                corrected_term.weight *= self.weights.corrected_term_weight;
                corrected_term.corrected_from = Some(word.clone());
                query_term = corrected_term;
            }
            if correctable
                && query_term.is_unknown()
                && let Some(root) = self.known_root(&word)
            {
                let mut root_term = self.lookup(&root);
                root_term.weight *= self.weights.corrected_term_weight;
                root_term.corrected_from = Some(typed.clone());
                query_term = root_term;
            }
            // A place after "en / au" or a year ("la prochaine édition, en 2027 ?") the articles
            // never give is what is asked.
            if query_term.is_unknown()
                && (is_year(&word) || after_place_preposition && !is_listed_generic(&word))
            {
                query_term.must_match = true;
            }
            query_term.exact_count = insists_on_exact && focus.as_deref() == Some("combien");
            query_term.exact_day = day_asked && query_term.word == "quand";
            query_term.focus = focus;
            query_term.narrows_count = narrows_count;
            query_term.alternative = alternative;
            let duplicate = terms.iter().any(|existing| {
                existing.term.is_some() && existing.term == query_term.term
                    || existing.term.is_none() && existing.word == query_term.word
            });
            if !duplicate {
                terms.push(query_term);
            }
        }
        // "slt, c koi l'akinchi ?": a greeting beside a word the pack knows is no small talk.
        let asks_about_something = terms.iter().any(|term| {
            !term.is_unknown()
                && !term.question_word
                && !is_greeting(&term.word)
                && !is_generic(&term.word)
        });
        // Thanks stay: "merci pour l'info sur le bamex" closes a conversation.
        if asks_about_something {
            terms.retain(|term| !is_hello(&term.word));
        }
        terms
    }

    /// Undoes the usual ways of typing fast that typo correction cannot reach: an elision
    /// typed without its apostrophe ("dhonneur", "lelectronique", "quil") and SMS phonetics
    /// ("fabrik", "kestion"). Only called for words the pack does not know.
    fn repair_sms_spelling(&self, word: &str) -> Repair {
        for elision in GLUED_ELISIONS {
            let Some(rest) = word.strip_prefix(elision) else {
                continue;
            };
            // French elides only before a vowel or a mute h ("tmps" is not "t'mps"); SMS
            // also shortens "le" and "de" before anything ("lbamex", "dla").
            let elidable = ["l", "d"].contains(elision)
                || rest
                    .chars()
                    .next()
                    .is_some_and(|first| "aeiouyh".contains(first));
            if rest.chars().count() < 2 || !elidable {
                continue;
            }
            // "au(x)" follows only "qu'" and "jusqu'": "taux" and "maux" are words, not "t'aux".
            if matches!(rest, "au" | "aux") && !elision.ends_with("qu") {
                continue;
            }
            if is_stop_word(rest) {
                return Repair::StopWord;
            }
            if let Some(canonical) = self.known_canonical(rest) {
                return Repair::Known(canonical);
            }
        }
        if word.contains('k') {
            let mut rewrites = vec![word.replace('k', "qu"), word.replace('k', "c")];
            if let Some(stem) = word.strip_suffix('k') {
                rewrites.push(format!("{}que", stem.replace('k', "qu")));
            }
            if let Some(canonical) = rewrites
                .iter()
                .find_map(|rewrite| self.known_canonical(rewrite))
            {
                return Repair::Known(canonical);
            }
        }
        Repair::None
    }

    /// The word after single-word synonyms ("akinji" → "akinci"), if the pack knows it.
    fn known_canonical(&self, word: &str) -> Option<String> {
        let canonical = self.synonyms.canonical_of_word(word).unwrap_or(word);
        (!self.lookup(canonical).is_unknown()).then(|| canonical.to_string())
    }

    /// A known word that this unknown word extends by a derivational ending ("nigerienne" →
    /// "niger", "prospection" → "prospect"): the longest known prefix of at least
    /// [`MIN_ROOT_LENGTH`] characters, at most [`MAX_SUFFIX_LENGTH`] characters shorter.
    fn known_root(&self, word: &str) -> Option<String> {
        let characters: Vec<char> = word.chars().collect();
        let shortest = MIN_ROOT_LENGTH.max(characters.len().saturating_sub(MAX_SUFFIX_LENGTH));
        (shortest..characters.len())
            .rev()
            .map(|length| characters[..length].iter().collect::<String>())
            .find(|prefix| self.surface_set.contains(prefix) && !is_generic(prefix))
    }

    fn lookup(&self, word: &str) -> QueryTerm {
        let term = self.term_ids.get(&term_text(word)).copied();
        let question_word = QUESTION_WORDS.contains(&word);
        // A word the pack never uses is generic only if listed as it is: its stem may meet a
        // generic word's by chance.
        let generic = match term {
            Some(_) => is_generic(word),
            None => is_listed_generic(word),
        };
        let generic_factor = if !question_word && generic {
            self.weights.generic_word_weight
        } else {
            1.0
        };
        QueryTerm {
            word: word.to_string(),
            term,
            weight: generic_factor * term.map_or(self.unknown_weight, |id| self.idf[id as usize]),
            corrected_from: None,
            question_word,
            focus: None,
            narrows_count: false,
            exact_count: false,
            exact_day: false,
            alternative: false,
            must_match: self.must_match.contains(word),
        }
    }

    /// The closest known word within the allowed edit distance, if any. Deterministic: the
    /// smallest distance wins, then the alphabetically first word.
    fn correct(&self, word: &str) -> Option<String> {
        let distance = max_edit_distance(word);
        if distance == 0 || self.surface_set.contains(word) {
            return None;
        }
        let mut candidates: HashSet<u32> = HashSet::new();
        for variant in deletion_variants(word, distance) {
            if let Some(found) = self.deletions.get(&variant) {
                candidates.extend(found.iter().copied());
            }
        }
        candidates
            .into_iter()
            .map(|position| &self.surface_words[position as usize])
            // A typo keeps its first letter; a generic word ("remain") is never worth a
            // correction; short words are only corrected to names.
            .filter(|candidate| candidate.chars().next() == word.chars().next())
            .filter(|candidate| !is_generic(candidate))
            .filter(|candidate| {
                word.chars().count() >= MIN_LENGTH_FOR_ANY_CORRECTION
                    || self.name_like.contains(*candidate)
            })
            .filter_map(|candidate| {
                let edits = strsim::damerau_levenshtein(word, candidate);
                (edits <= distance.min(max_edit_distance(candidate).max(1)))
                    .then_some((edits, candidate))
            })
            .min()
            .map(|(_, candidate)| candidate.clone())
    }

    /// Scores every document sharing a term with the question, keeps each target's best
    /// document, and returns targets best first (ties broken by target order).
    pub fn score(&self, query: &[QueryTerm]) -> Vec<Scored> {
        self.score_with_bag_weight(query, self.weights.bag_weight)
    }

    /// [`Index::score`] with another share for the bag (see [`ScoringWeights::bag_weight`]).
    pub fn score_with_bag_weight(&self, query: &[QueryTerm], bag_weight: f64) -> Vec<Scored> {
        let total_weight: f64 = query.iter().map(|term| term.weight).sum();
        if total_weight <= 0.0 {
            return Vec::new();
        }
        let mut touched: Vec<u32> = query
            .iter()
            .filter_map(|term| term.term)
            .flat_map(|term| self.postings[term as usize].iter().copied())
            .collect();
        touched.sort_unstable();
        touched.dedup();

        // Best score per target and per kind of document: [phrasing, statement, bag].
        let mut best: HashMap<Target, [f64; 3]> = HashMap::new();
        for document_id in touched {
            let document = &self.documents[document_id as usize];
            let score = self.score_document(document, query, total_weight);
            let slot = &mut best.entry(document.target).or_insert([0.0; 3])[match document.kind {
                DocumentKind::Phrasing => 0,
                DocumentKind::Statement => 1,
                DocumentKind::Bag => 2,
            }];
            if score > *slot {
                *slot = score;
            }
        }
        let best = best
            .into_iter()
            .map(|(target, [phrasing, statement, bag])| {
                let direct = phrasing.max(statement);
                let mixed = bag_weight * bag + (1.0 - bag_weight) * direct;
                let coverage = match target {
                    Target::Smalltalk(_) => phrasing,
                    _ => bag,
                };
                Scored {
                    target,
                    score: direct.max(mixed),
                    coverage,
                }
            });
        let mut ranked: Vec<Scored> = best.collect();
        ranked.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.target.cmp(&b.target))
        });
        ranked
    }

    /// Whether the articles use this word as a name (see `proper_nouns`).
    pub fn is_proper_noun(&self, term: &QueryTerm) -> bool {
        self.proper_nouns.contains(&term_text(&term.word))
    }

    /// Whether the target's material (its bag) contains this term. For "combien" and
    /// "quand", a target also covers them when one of its statements holds a number or a
    /// date.
    pub fn covers(&self, target: Target, term: &QueryTerm) -> bool {
        let Some(id) = term.term else {
            return false;
        };
        let Some(&bag) = self.bag_of.get(&target) else {
            return false;
        };
        // Question words are judged by the target's phrasings and statements, not by its bag:
        // an answer saying "the articles give no date" does not answer "quand".
        if !term.question_word && self.documents[bag].terms.contains(&id) {
            return true;
        }
        let mut statements = self.texts_of(target).filter(|document| {
            document.kind == DocumentKind::Statement
                && matches!(target, Target::Entry(_) | Target::Claim(_))
        });
        // "Quel jour exactement ?": only a statement naming a day answers it, whatever the
        // phrasings ask (an article's card states its date in full, or that it has none).
        if term.exact_day && matches!(target, Target::Entry(_) | Target::Claim(_)) {
            return statements.any(|document| document.has_day);
        }
        self.phrasings_hold(target, term)
            || match term.word.as_str() {
                "combien" => statements.any(|document| document.has_number),
                "quand" => statements.any(|document| document.has_date),
                _ => false,
            }
    }

    /// Whether the target answers "combien de <focus>": one of its phrasings asks it (both
    /// words in one phrasing), or, for a claim, a statement gives a number and names it. When
    /// the question insists on an exact figure, one of its statements must give one.
    /// With `narrowing` ("combien d'entreprises *maliennes*"), that word must be in the same
    /// phrasing or statement.
    pub fn counts(&self, target: Target, focus: &QueryTerm, narrowing: Option<&QueryTerm>) -> bool {
        let (Some(count_id), Some(focus_id)) = (self.term_ids.get("combien"), focus.term) else {
            return false;
        };
        let narrowing_id = match narrowing {
            Some(term) => match term.term {
                Some(id) => Some(id),
                None => return false,
            },
            None => None,
        };
        let narrowed =
            |document: &Document| narrowing_id.is_none_or(|id| document.terms.contains(&id));
        // "Combien exactement ?": only a statement giving an exact figure for it will do.
        if focus.exact_count {
            return self.texts_of(target).any(|document| {
                document.kind == DocumentKind::Statement
                    && document.counted_exactly.contains(&focus_id)
                    && narrowed(document)
            });
        }
        // An entry that answers some count ("combien de soldats…") also answers a count its
        // own answer states ("des dizaines de militaires").
        let answers_some_count = || {
            self.texts_of(target).any(|document| {
                document.kind == DocumentKind::Phrasing && document.terms.contains(count_id)
            })
        };
        self.texts_of(target).any(|document| match document.kind {
            DocumentKind::Phrasing => {
                document.terms.contains(count_id)
                    && document.terms.contains(&focus_id)
                    && narrowed(document)
            }
            // A statement counts what follows its number: "deux drones Akinci, plus grands
            // que les TB2" counts Akinci, not TB2.
            DocumentKind::Statement => {
                document.counted.contains(&focus_id)
                    && narrowed(document)
                    && match target {
                        Target::Claim(_) => true,
                        Target::Entry(_) => answers_some_count(),
                        _ => false,
                    }
            }
            DocumentKind::Bag => false,
        })
    }

    fn texts_of(&self, target: Target) -> impl Iterator<Item = &Document> {
        self.texts_of
            .get(&target)
            .into_iter()
            .flatten()
            .map(|&position| &self.documents[position])
    }

    /// Whether one of the target's phrasings holds this term (its answer text aside: a gap's
    /// answer always speaks of "les articles", which says nothing of what it covers).
    pub fn phrasings_hold(&self, target: Target, term: &QueryTerm) -> bool {
        let Some(id) = term.term else {
            return false;
        };
        self.texts_of(target)
            .any(|document| document.kind == DocumentKind::Phrasing && document.terms.contains(&id))
    }

    /// The question's words that the target's material (its bag) does not contain.
    pub fn uncovered_words(&self, query: &[QueryTerm], target: Target) -> Vec<String> {
        let Some(bag) = self.bag_of.get(&target).map(|&bag| &self.documents[bag]) else {
            return query.iter().map(|term| term.word.clone()).collect();
        };
        query
            .iter()
            .filter(|term| !term.term.is_some_and(|id| bag.terms.contains(&id)))
            .filter(|term| !term.question_word)
            .map(|term| term.word.clone())
            .collect()
    }

    fn score_document(&self, document: &Document, query: &[QueryTerm], total_weight: f64) -> f64 {
        let mut question_weight = total_weight;
        let mut matched_weight = 0.0;
        let mut matched_document_weight = 0.0;
        for term in query {
            let in_document = term.term.is_some_and(|id| document.terms.contains(&id));
            if in_document {
                matched_weight += term.weight;
                matched_document_weight += term.term.map_or(0.0, |id| self.idf[id as usize]);
                continue;
            }
            if term.is_unknown() && document.kind == DocumentKind::Bag {
                // Words the pack has never seen are judged by the engine's unknown-share gate;
                // a bag's coverage speaks of the pack's own words only.
                question_weight -= term.weight;
                continue;
            }
            if term.question_word && document.kind != DocumentKind::Phrasing {
                match term.word.as_str() {
                    "combien" if document.has_number => matched_weight += term.weight,
                    "quand" if document.has_date => matched_weight += term.weight,
                    "combien" | "quand" => {}
                    // Who, where, why, how: a statement cannot show it literally; neutral.
                    _ => question_weight -= term.weight,
                }
            }
        }
        if question_weight <= 0.0 || document.weight_sum <= 0.0 {
            return 0.0;
        }
        let question_coverage = (matched_weight / question_weight).min(1.0);
        if document.kind == DocumentKind::Bag {
            return question_coverage;
        }
        let document_coverage = (matched_document_weight / document.weight_sum).min(1.0);
        let coverage_weight = self.weights.document_coverage_weight;
        let kind_factor = match document.kind {
            DocumentKind::Phrasing => 1.0,
            DocumentKind::Statement => self.weights.statement_factor,
            DocumentKind::Bag => 1.0,
        };
        question_coverage
            * ((1.0 - coverage_weight) + coverage_weight * document_coverage)
            * kind_factor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_is_four_digits_from_1900_to_2099() {
        for year in ["1900", "2025", "2027", "2099"] {
            assert!(is_year(year), "{year}");
        }
        for other in ["1899", "2100", "20a1", "202", "20255", "deux", ""] {
            assert!(!is_year(other), "{other}");
        }
    }

    fn words(text: &str) -> Vec<String> {
        tokenize(text)
    }

    #[test]
    fn a_day_is_a_number_or_premier_next_to_a_month() {
        assert!(names_a_day(&words("du 11 au 14 novembre 2025")));
        assert!(names_a_day(&words("on November 12, 2025")));
        assert!(names_a_day(&words("le premier avril 2025")));
        assert!(!names_a_day(&words("début novembre 2024")));
        assert!(!names_a_day(&words("en juillet dernier")));
        assert!(!names_a_day(&words("2 000 militaires en avril")));
    }

    #[test]
    fn a_day_is_asked_by_quel_jour_or_an_exact_date() {
        for asked in [
            "quel jour exactement en juillet",
            "What day did the fair open?",
            "la date exacte du drone abattu",
            "date précise du putsch",
            "c t le combien",
            "jour exact de la vidéo",
        ] {
            assert!(asks_for_a_day(&words(asked)), "{asked}");
        }
        for not_asked in [
            "quand a eu lieu le putsch",
            "en quel mois",
            "exact number of drones",
        ] {
            assert!(!asks_for_a_day(&words(not_asked)), "{not_asked}");
        }
    }
}

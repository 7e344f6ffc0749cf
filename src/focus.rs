//! The focus of a question: the word naming what it asks about ("combien de *visiteurs*",
//! "quel *pays*", "how many *drones*", "la date *de naissance*", "quel type *de missile*"),
//! found after a focus marker.
//!
//! The engine requires the chosen answer to speak of that word, which is how a question about
//! something the articles never give ("combien de visiteurs au Bamex ?") is told apart from one
//! they answer ("combien de pays au Bamex ?") although both share every other word.
//!
//! Pure: a function of the question's tokens (after synonyms); knows nothing of the pack.

use crate::text::{
    EXACTNESS_MARKERS, PLACE_PREPOSITIONS, QUESTION_WORDS, is_generic, is_stop_word,
};

/// Words after which comes what the question asks about: "combien de X", "quel X", "which X".
pub const FOCUS_MARKERS: &[&str] = &[
    "combien",
    "quel",
    "quelle",
    "quels",
    "quelles",
    "lequel",
    "laquelle",
    "lesquels",
    "lesquelles",
    "which",
    "wich",
    "what",
];

/// How many are asked for ("quels *deux* généraux", "which *two* generals"): not what is asked
/// about. "one" stands in for a noun ("which *one* in particular?", "which one of the
/// drones"): what is asked about comes later, if at all.
const SMALL_NUMBER_WORDS: &[&str] = &[
    "deux", "trois", "quatre", "cinq", "two", "three", "four", "five", "one", "ones",
];

/// Nouns that name a kind of thing ("quelle *entreprise*", "which *country*"): the answer names
/// an instance (Baykar, Turkey), rarely the kind, so after "quel" or "which" they are not the
/// focus. After "combien" they are: "combien de *pays*" and "combien d'*entreprises*" differ.
const KIND_NOUNS: &[&str] = &[
    "entreprise",
    "entreprises",
    "societe",
    "societes",
    "firme",
    "firmes",
    "boite",
    "boites",
    "compagnie",
    "company",
    "companies",
    "firm",
    "firms",
    "organisation",
    "organisations",
    "organization",
    "groupe",
    "groupes",
    "group",
    "pays",
    "country",
    "countries",
    "personne",
    "personnes",
    "person",
    "people",
    "dirigeant",
    "dirigeants",
    "leader",
    "leaders",
    "responsable",
    "responsables",
    "unite",
    "unites",
    "unit",
    "media",
    "medias",
    "outlet",
    "outlets",
    "newspaper",
    "newspapers",
    "journaux",
    "institution",
    "institutions",
    "organisme",
    "organismes",
    "journal",
    "role",
    "puissance",
    "puissances",
    "power",
    "powers",
    "modele",
    "modeles",
    "model",
    "models",
    "type",
    "types",
    "marque",
    "marques",
    "ville",
    "villes",
    "city",
    "cities",
    "capitale",
    "capitales",
    "capital",
    "capitals",
    "endroit",
    "endroits",
    "lieu",
    "lieux",
    "place",
    "places",
    "agence",
    "agences",
    "agency",
    "agencies",
    "domaine",
    "domaines",
    "secteur",
    "secteurs",
    "sector",
    "sectors",
    "field",
    "fields",
];

/// The word a question asks about: the first word after a focus marker that is neither a stop
/// word, a number (digits or "deux", "two"…), a question word nor a generic word ("quel est le
/// *nom*…" has none), unless it is a kind noun ([`KIND_NOUNS`]) or a sort noun
/// ([`SORT_NOUNS`]), which count even when generic; the search stops at a conjunction
/// ("combien…, *et* depuis quand ?"). Returned with its marker, except:
/// - "la date *de X*" (→ "quand de X"): X, marked "quand" (the date of X is asked);
/// - "quel type *de X*", "which kind *of X*": X, unless X is a kind noun;
/// - after "quel" or "which", a kind noun: none (the answer names an instance);
/// - "ils sont combien *au* Mali": none (what is counted came before the place);
/// - "*à* combien Le Monde chiffre-t-il l'or": none (an amount), when an article, a verb or
///   nothing follows "combien" (past "exactement"): "à combien *de* km" and "le Mali a
///   combien *d'Akinci*" (folded "a", elision gone) count.
///
/// `words` are the question's tokens after synonyms, stop words included.
pub fn focus_word(words: &[String]) -> Option<(String, String)> {
    let (marker, position) = word_after_marker(words)?;
    let marker_word = words[marker].clone();
    let word = words[position].as_str();
    // "quelle est la date *de naissance*", "what is the date of *birth*": the date of what is
    // what is asked.
    if word == "quand"
        && let Some(dated) = thing_after_of(words, position)
    {
        return Some(("quand".to_string(), dated));
    }
    // "quelle date" (→ "quand"), "quel quel": the question word itself says what is asked.
    if QUESTION_WORDS.contains(&word) || FOCUS_MARKERS.contains(&word) {
        return None;
    }
    // "quel type *de missile*", "which kind *of partnership*": the answer names a type of
    // that thing, so it must speak of the thing (unless the thing is a kind: "quel type
    // d'entreprise").
    if marker_word != "combien" && SORT_NOUNS.contains(&word) {
        return thing_after_of(words, position)
            .filter(|sorted| !KIND_NOUNS.contains(&sorted.as_str()))
            .map(|sorted| (marker_word, sorted));
    }
    // After "quel" or "which", a kind noun names the kind of answer ("quelle *unité* de
    // l'armée", "which *company*"), and what follows it only narrows the kind: no focus.
    if marker_word != "combien" && KIND_NOUNS.contains(&word) {
        return None;
    }
    Some((marker_word, word.to_string()))
}

/// The positions of the first focus marker and of the word [`focus_word`] starts from: the
/// first after the marker (within five) that is neither a stop word, a number (digits or
/// "deux", "two"…) nor a generic word, unless it is a kind or sort noun, which counts even
/// when generic ("quel *média* a publié…", "combien de *personnes*", "what *kind* of"). None
/// when "combien" is followed by a place preposition ("combien *au* Mali"), or follows "à"
/// and precedes an article, a verb or nothing ("*à* combien Le Monde chiffre…").
fn word_after_marker(words: &[String]) -> Option<(usize, usize)> {
    let marker = words
        .iter()
        .position(|word| FOCUS_MARKERS.contains(&word.as_str()))?;
    // "les Russes, ils sont combien *au* Mali ?": what is counted came before; the place
    // after it is not what is asked.
    if words[marker] == "combien"
        && words
            .get(marker + 1)
            .is_some_and(|next| PLACE_PREPOSITIONS.contains(&next.as_str()))
    {
        return None;
    }
    // "*À* combien Le Monde chiffre-t-il l'once d'or ?": an amount, and what follows is a verb
    // or its subject. Folded, "à" is also the verb "a" ("le Mali a combien d'Akinci", whose
    // "d'" is gone), so this holds only when an article, a verb or nothing follows, past any
    // "exactement": "à combien *de* kilomètres" and "a combien *Akinci*" still count.
    if words[marker] == "combien" && marker > 0 && words[marker - 1] == "a" {
        let next = words[marker + 1..].iter().find(|word| {
            !EXACTNESS_MARKERS.contains(&word.as_str())
                && !APPROXIMATION_ADVERBS.contains(&word.as_str())
        });
        let amount_follows = next.is_none_or(|next| {
            !OF_LINKERS.contains(&next.as_str()) && (is_stop_word(next) || is_generic(next))
        });
        if amount_follows {
            return None;
        }
    }
    // "combien à peu près, *et* depuis quand ?": what follows a conjunction is another
    // question.
    let offset = words[marker + 1..]
        .iter()
        .take(5)
        .take_while(|word| !CONJUNCTIONS.contains(&word.as_str()))
        .position(|word| {
            !is_stop_word(word)
                && !is_number(word)
                && (KIND_NOUNS.contains(&word.as_str())
                    || SORT_NOUNS.contains(&word.as_str())
                    || !is_generic(word))
        })?;
    Some((marker, marker + 1 + offset))
}

/// Words that make a count rough without being what is counted ("combien *environ* de…");
/// [`EXACTNESS_MARKERS`] are skipped likewise.
const APPROXIMATION_ADVERBS: &[&str] = &["environ", "approximativement", "roughly"];

/// Words that join two questions: the focus of the first never lies after them.
const CONJUNCTIONS: &[&str] = &["et", "and", "mais", "but", "puis"];

/// Nouns that ask for a sort of something ("quel *type* de missile", "which *kind* of
/// deal"): the something is what the question is about.
const SORT_NOUNS: &[&str] = &[
    "type", "types", "genre", "genres", "kind", "kinds", "sort", "sorts",
];

/// The word that "de / d' / des / of" links to the noun at `position` ("la date *de*
/// naissance", "quel type *de* missile"): the first word after the linker that is not a stop
/// word, when it is [`meaningful`] and comes before any conjunction.
fn thing_after_of(words: &[String], position: usize) -> Option<String> {
    let linker = words.get(position + 1)?;
    if !OF_LINKERS.contains(&linker.as_str()) {
        return None;
    }
    let thing = words[position + 2..]
        .iter()
        .take_while(|word| !CONJUNCTIONS.contains(&word.as_str()))
        .find(|word| !is_stop_word(word))?;
    meaningful(thing).then(|| thing.clone())
}

/// The words linking a date or a sort to its thing: "la date *de* naissance", "the date *of*
/// birth", "quel type *de* missile".
const OF_LINKERS: &[&str] = &["de", "du", "des", "d", "of"];

/// Whether a word (not a stop word) can say what is asked or counted: not a number, a generic
/// word, a question word or a focus marker.
fn meaningful(word: &str) -> bool {
    !is_number(word)
        && !is_generic(word)
        && !QUESTION_WORDS.contains(&word)
        && !FOCUS_MARKERS.contains(&word)
}

/// Digits ("2025") or a small number word ("deux", "two"): how many, not what.
fn is_number(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_digit()) || SMALL_NUMBER_WORDS.contains(&word)
}

/// The word right after the focus of "combien de X", when it narrows what is counted
/// ("combien d'entreprises *maliennes*", "combien de drones *turcs*"): an answer counting all
/// companies does not count the Malian ones. `words` as for [`focus_word`].
pub fn count_modifier(words: &[String], focus: &str) -> Option<String> {
    let marker = words.iter().position(|word| word == "combien")?;
    let focus_position = marker + 1 + words[marker + 1..].iter().position(|word| word == focus)?;
    let next = words.get(focus_position + 1)?;
    let narrows = !is_stop_word(next) && meaningful(next);
    narrows.then(|| next.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(words: &str, expected: Option<(&str, &str)>) {
        let tokens: Vec<String> = words.split(' ').map(str::to_string).collect();
        let found = focus_word(&tokens);
        assert_eq!(
            found
                .as_ref()
                .map(|(marker, word)| (marker.as_str(), word.as_str())),
            expected,
            "{words}"
        );
    }

    #[test]
    fn the_focus_is_the_first_meaningful_word_after_a_marker() {
        check(
            "combien de visiteurs au bamex",
            Some(("combien", "visiteurs")),
        );
        check("quel pays etait invite", None);
        check("combien de pays au bamex", Some(("combien", "pays")));
        // Broke: "personnes" is generic, so the count skipped it and a blockade answer
        // counted nothing.
        check(
            "combien de personnes ont ete touchees",
            Some(("combien", "personnes")),
        );
        check("which company made the drones", None);
        // Broke: "c etait quel modele" wanted the word "modèle" in the answer, which names
        // the model (Akinci) instead.
        check("le drone abattu c etait quel modele", None);
        // Broke: "média" is generic, so the focus skipped it and landed on "publié".
        check("quel media a publie l annonce", None);
        check("quelle unite de l armee malienne", None);
        // Broke: "dans quel domaine" wanted the word "domaine"; the answer names the field.
        check("soutien aux fama dans quel domaine", None);
        check("quand a lieu le bamex", None);
        check("quel est le nom du salon", Some(("quel", "salon")));
        check("c etait quelle quand exactement mon client", None);
        // Broke: "la date de naissance" asked for a date, and any dated answer would do.
        check(
            "quelle est la quand de naissance du ministre",
            Some(("quand", "naissance")),
        );
        check(
            "what is the quand of birth of camara",
            Some(("quand", "birth")),
        );
        check("quelle quand pour le bamex", None);
        // Broke: "quel type de missile" had no focus, and the shoot-down answer, which names
        // no missile, answered it.
        check(
            "avec quel type de missile l akinci a ete abattu",
            Some(("quel", "missile")),
        );
        check("le drone abattu c etait quel type", None);
        check(
            "what kind of missile did they use",
            Some(("what", "missile")),
        );
        // A sort of a kind ("quel type d'entreprise") names an instance, like the kind.
        check("quel type d entreprise a expose", None);
        // Broke: "combien, et depuis quand ?" counted "depuis quand" (a duration).
        check("ils sont combien a peu pres et duree", None);
        // Broke: "ils sont cb au mali" counted "Mali" (the place), not the Russians.
        check("russie ils sont combien au mali maintenant", None);
        check("combien en tout", None);
        // Broke: "which two generals" wanted the word "two" in the answer.
        check("which two mali generals", Some(("which", "mali")));
        // Broke: "which one in particular?" wanted the word "one" in the answer.
        check("which one in particular", None);
        check("which one of the drones", Some(("which", "drones")));
        // Broke: "à combien Le Monde chiffre l'or" counted "Monde".
        check("a combien le monde chiffre le cours de l once", None);
        check(
            "a combien de kilometres de bamako",
            Some(("combien", "kilometres")),
        );
        check("a combien est monte l or", None);
        // Folded, the verb "a" reads like "à", and "d'" is gone: these still count.
        check("le mali a combien akinci", Some(("combien", "akinci")));
        check(
            "il y a combien exactement de drones",
            Some(("combien", "drones")),
        );
    }

    #[test]
    fn a_word_right_after_the_counted_noun_narrows_the_count() {
        let tokens =
            |words: &str| -> Vec<String> { words.split(' ').map(str::to_string).collect() };
        assert_eq!(
            count_modifier(
                &tokens("combien d entreprises maliennes exposaient"),
                "entreprises"
            ),
            Some("maliennes".to_string())
        );
        assert_eq!(
            count_modifier(&tokens("combien de pays au bamex"), "pays"),
            None
        );
        assert_eq!(
            count_modifier(&tokens("quel pays etait invite"), "pays"),
            None
        );
    }
}

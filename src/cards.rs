//! Article cards: questions about an article itself ("who wrote the Le Monde piece?", "when
//! was the MaliBuzz report published?") answered from the article's own metadata.
//!
//! Every article of the pack gets a card without any curator work: its phrasings come from the
//! templates of `src/lexicon/article_questions.txt` filled with the article's outlet, authors,
//! title and date, and its answer states those fields. A template whose placeholder the article
//! lacks (no outlet named, no date) is skipped, and a missing field is said to be missing: a
//! card never invents an outlet, a name or a date. Its citation quotes the article's own lines
//! that carry the byline or the date, so a card is cited like any claim.
//!
//! Pure: knows the pack's article type and nothing of matching, files or Telegram.

use crate::knowledge::{Article, MONTHS_EN, MONTHS_FR, PublicationDate};
use crate::text::Lang;

const TEMPLATES: &str = include_str!("lexicon/article_questions.txt");

/// Longest line of the article quoted as the card's evidence.
const MAX_QUOTE_CHARS: usize = 240;

/// The ways of asking about this article, templates filled with its metadata.
pub fn phrasings(article: &Article) -> Vec<String> {
    let dates = date_words(&article.published);
    let mut phrasings = Vec::new();
    for template in TEMPLATES
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
    {
        let mut filled = vec![template.to_string()];
        filled = substitute(filled, "{outlet}", article.outlet.iter().cloned().collect());
        filled = substitute(filled, "{author}", article.authors.clone());
        filled = substitute(filled, "{title}", article.title.iter().cloned().collect());
        filled = substitute(filled, "{date}", dates.clone());
        for phrasing in filled {
            if !phrasings.contains(&phrasing) {
                phrasings.push(phrasing);
            }
        }
    }
    phrasings
}

/// Every template line containing `placeholder` is repeated once per value; with no value,
/// it is dropped.
fn substitute(lines: Vec<String>, placeholder: &str, values: Vec<String>) -> Vec<String> {
    let mut output = Vec::new();
    for line in lines {
        if !line.contains(placeholder) {
            output.push(line);
            continue;
        }
        for value in &values {
            output.push(line.replace(placeholder, value));
        }
    }
    output
}

/// The date as users would write it, in both languages; none for an undated article.
fn date_words(published: &PublicationDate) -> Vec<String> {
    if let PublicationDate::Undated { .. } = published {
        return Vec::new();
    }
    let mut words = vec![published.in_words(Lang::Fr)];
    let english = published.in_words(Lang::En);
    if !words.contains(&english) {
        words.push(english);
    }
    words
}

/// The card's answer: title, outlet, authors and date, each said to be missing when it is.
pub fn answer(article: &Article, lang: Lang) -> String {
    let date = article.published.in_words(lang);
    let authors = article.authors.join(", ");
    match lang {
        Lang::Fr => {
            let title = match &article.title {
                Some(title) => format!("L'article « {title} »"),
                None => "Cet article (sans titre dans le texte)".to_string(),
            };
            let outlet = article
                .outlet
                .as_deref()
                .unwrap_or("non nommé dans le texte");
            let authors = if authors.is_empty() {
                "non nommé".to_string()
            } else {
                authors
            };
            format!("{title} — média : {outlet} ; auteur : {authors} ; publication : {date}.")
        }
        Lang::En => {
            let title = match &article.title {
                Some(title) => format!("The article “{title}”"),
                None => "This article (no headline in the text)".to_string(),
            };
            let outlet = article.outlet.as_deref().unwrap_or("not named in the text");
            let authors = if authors.is_empty() {
                "not named".to_string()
            } else {
                authors
            };
            format!("{title} — outlet: {outlet}; author: {authors}; published: {date}.")
        }
    }
}

/// Words that make up the card's material besides its phrasings: the metadata itself.
pub fn material(article: &Article) -> Vec<String> {
    let mut material = Vec::new();
    material.extend(article.outlet.iter().cloned());
    material.extend(article.authors.iter().cloned());
    material.extend(article.known_as.iter().cloned());
    material.extend(article.title.iter().cloned());
    material.extend(date_words(&article.published));
    material
}

/// The article's own lines that show its byline and its date (verbatim, short ones only);
/// the title, or else the first line, when none is short enough.
pub fn quotes(article: &Article) -> Vec<String> {
    let short_lines: Vec<&str> = article
        .text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && line.chars().count() <= MAX_QUOTE_CHARS)
        .collect();
    let mut quotes: Vec<String> = Vec::new();
    let keep = |quotes: &mut Vec<String>, line: &str| {
        if !quotes.iter().any(|kept| kept == line) {
            quotes.push(line.to_string());
        }
    };
    if let Some(author) = article.authors.first()
        && let Some(line) = short_lines
            .iter()
            .find(|line| line.contains(author.as_str()))
    {
        keep(&mut quotes, line);
    }
    if let Some(year) = year_of(&article.published)
        && let Some(line) = short_lines.iter().find(|line| {
            line.contains(&year)
                && MONTHS_FR
                    .iter()
                    .chain(MONTHS_EN.iter())
                    .any(|month| line.to_lowercase().contains(&month.to_lowercase()))
        })
    {
        keep(&mut quotes, line);
    }
    if quotes.is_empty() {
        let fallback = article
            .title
            .as_deref()
            .filter(|title| short_lines.contains(title))
            .or_else(|| short_lines.first().copied());
        if let Some(line) = fallback {
            keep(&mut quotes, line);
        }
    }
    quotes
}

fn year_of(published: &PublicationDate) -> Option<String> {
    match published {
        PublicationDate::Day { year, .. } | PublicationDate::Month { year, .. } => {
            Some(year.to_string())
        }
        PublicationDate::Undated { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(outlet: Option<&str>, published: PublicationDate) -> Article {
        Article {
            id: "a".into(),
            outlet: outlet.map(str::to_string),
            authors: vec!["Awa Diallo".into()],
            title: None,
            known_as: Vec::new(),
            language: Lang::Fr,
            published,
            text: "Un texte assez long pour ne pas être cité en entier.\nPar Awa Diallo\n".into(),
            file: "articles/a.toml".into(),
        }
    }

    fn undated() -> PublicationDate {
        PublicationDate::Undated {
            known_fr: "écrit après le salon".into(),
            known_en: "written after the fair".into(),
        }
    }

    #[test]
    fn a_card_never_fills_a_placeholder_the_article_lacks() {
        let card = phrasings(&article(None, undated()));
        assert!(!card.is_empty());
        assert!(
            card.iter().all(|phrasing| !phrasing.contains('{')),
            "{card:?}"
        );
        assert!(card.iter().any(|phrasing| phrasing.contains("Awa Diallo")));
        let dated = phrasings(&article(
            Some("Le Quotidien"),
            PublicationDate::Month {
                year: 2024,
                month: 12,
            },
        ));
        assert!(
            dated
                .iter()
                .any(|phrasing| phrasing.contains("décembre 2024"))
        );
        assert!(
            dated
                .iter()
                .any(|phrasing| phrasing.contains("December 2024"))
        );
        assert!(
            dated
                .iter()
                .any(|phrasing| phrasing.contains("Le Quotidien"))
        );
    }

    #[test]
    fn a_card_says_what_the_text_does_not_give() {
        let answer_fr = answer(&article(None, undated()), Lang::Fr);
        assert!(
            answer_fr.contains("média : non nommé dans le texte"),
            "{answer_fr}"
        );
        assert!(
            answer_fr.contains("non daté (écrit après le salon)"),
            "{answer_fr}"
        );
        let answer_en = answer(&article(None, undated()), Lang::En);
        assert!(
            answer_en.contains("outlet: not named in the text"),
            "{answer_en}"
        );
    }

    #[test]
    fn a_card_quotes_the_byline_verbatim() {
        let article = article(None, undated());
        assert_eq!(quotes(&article), vec!["Par Awa Diallo".to_string()]);
        for quote in quotes(&article) {
            assert!(article.text.contains(&quote));
        }
    }
}

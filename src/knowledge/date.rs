//! Publication dates with their precision, and how to say them in words.
//!
//! Knows nothing of articles beyond their date; pure.

use crate::text::Lang;

/// When an article was published, exactly as far as its text supports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicationDate {
    Day {
        year: u16,
        month: u8,
        day: u8,
    },
    Month {
        year: u16,
        month: u8,
    },
    /// The text gives no date; the notes say what it lets us know.
    Undated {
        known_fr: String,
        known_en: String,
    },
}

pub const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PublicationDate {
    /// Parses "YYYY-MM-DD" or "YYYY-MM". "undated" is handled by the caller, which has the
    /// notes.
    pub fn parse_dated(value: &str) -> Result<PublicationDate, String> {
        let parts: Vec<&str> = value.split('-').collect();
        let problem = || {
            format!(
                "`published = \"{value}\"` is not a date: write \"YYYY-MM-DD\", \"YYYY-MM\" or \"undated\""
            )
        };
        let number = |part: &str, digits: usize| -> Option<u32> {
            if part.len() == digits && part.chars().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        match parts.as_slice() {
            [year, month] => {
                let year = number(year, 4).ok_or_else(problem)?;
                let month = number(month, 2).ok_or_else(problem)?;
                if !(1..=12).contains(&month) {
                    return Err(problem());
                }
                Ok(PublicationDate::Month {
                    year: year as u16,
                    month: month as u8,
                })
            }
            [year, month, day] => {
                let year = number(year, 4).ok_or_else(problem)?;
                let month = number(month, 2).ok_or_else(problem)?;
                let day = number(day, 2).ok_or_else(problem)?;
                if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
                    return Err(problem());
                }
                Ok(PublicationDate::Day {
                    year: year as u16,
                    month: month as u8,
                    day: day as u8,
                })
            }
            _ => Err(problem()),
        }
    }

    /// Machine form: "2026-01-29", "2024-12", or the words saying the article is undated.
    pub fn machine_form(&self, lang: Lang) -> String {
        match self {
            PublicationDate::Day { year, month, day } => format!("{year:04}-{month:02}-{day:02}"),
            PublicationDate::Month { year, month } => format!("{year:04}-{month:02}"),
            PublicationDate::Undated { .. } => self.in_words(lang),
        }
    }

    /// "29 janvier 2026", "décembre 2024", "non daté": the date without the undated note.
    pub fn in_short_words(&self, lang: Lang) -> String {
        match (self, lang) {
            (PublicationDate::Undated { .. }, Lang::Fr) => "non daté".to_string(),
            (PublicationDate::Undated { .. }, Lang::En) => "undated".to_string(),
            _ => self.in_words(lang),
        }
    }

    /// "29 janvier 2026", "décembre 2024", "non daté (écrit après …)"; English likewise.
    pub fn in_words(&self, lang: Lang) -> String {
        match (self, lang) {
            (PublicationDate::Day { year, month, day }, Lang::Fr) => {
                let day_words = if *day == 1 {
                    "1er".to_string()
                } else {
                    day.to_string()
                };
                format!("{day_words} {} {year}", MONTHS_FR[*month as usize - 1])
            }
            (PublicationDate::Day { year, month, day }, Lang::En) => {
                format!("{day} {} {year}", MONTHS_EN[*month as usize - 1])
            }
            (PublicationDate::Month { year, month }, Lang::Fr) => {
                format!("{} {year}", MONTHS_FR[*month as usize - 1])
            }
            (PublicationDate::Month { year, month }, Lang::En) => {
                format!("{} {year}", MONTHS_EN[*month as usize - 1])
            }
            (PublicationDate::Undated { known_fr, .. }, Lang::Fr) => {
                format!("non daté ({known_fr})")
            }
            (PublicationDate::Undated { known_en, .. }, Lang::En) => {
                format!("undated ({known_en})")
            }
        }
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_dates_in_words_with_their_precision() {
        let day = PublicationDate::parse_dated("2026-01-29").unwrap();
        assert_eq!(day.in_words(Lang::Fr), "29 janvier 2026");
        assert_eq!(day.in_words(Lang::En), "29 January 2026");
        assert_eq!(day.machine_form(Lang::Fr), "2026-01-29");
        let first = PublicationDate::parse_dated("2025-04-01").unwrap();
        assert_eq!(first.in_words(Lang::Fr), "1er avril 2025");
        let month = PublicationDate::parse_dated("2024-12").unwrap();
        assert_eq!(month.in_words(Lang::Fr), "décembre 2024");
        assert_eq!(month.machine_form(Lang::En), "2024-12");
        let undated = PublicationDate::Undated {
            known_fr: "écrit après le salon".into(),
            known_en: "written after the fair".into(),
        };
        assert_eq!(
            undated.machine_form(Lang::Fr),
            "non daté (écrit après le salon)"
        );
        assert_eq!(
            undated.in_words(Lang::En),
            "undated (written after the fair)"
        );
    }

    #[test]
    fn refuses_impossible_dates() {
        for bad in [
            "2025-13",
            "2025-02-30",
            "25-01-01",
            "2025/01/01",
            "",
            "soon",
            "2025-1-5",
        ] {
            assert!(PublicationDate::parse_dated(bad).is_err(), "{bad}");
        }
        assert!(PublicationDate::parse_dated("2024-02-29").is_ok());
    }
}

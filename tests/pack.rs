//! The knowledge pack's validation: the shipped pack passes, and each broken fixture in
//! `tests/fixtures/packs/` is refused with exactly the problems its `expected.txt` lists
//! (one line per problem: `file: id: start of the message`). Adding a case is adding a folder.

use std::path::{Path, PathBuf};

use citebot::files::load_pack;

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixture folder")
        .map(|item| item.expect("fixture").path())
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    folders
}

fn expected_problems(folder: &Path) -> Vec<String> {
    std::fs::read_to_string(folder.join("expected.txt"))
        .expect("every fixture has an expected.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Loads one fixture pack and compares its problems with `expected.txt`.
fn check(folder: &Path) -> Result<(), String> {
    let expected = expected_problems(folder);
    let prefix = format!("{}/", folder.display());
    let actual: Vec<String> = match load_pack(folder) {
        Ok(_) => Vec::new(),
        Err(error) => error
            .problems
            .iter()
            .map(|problem| problem.to_string().replacen(&prefix, "", 1))
            .collect(),
    };
    let unmatched_expected: Vec<&String> = expected
        .iter()
        .filter(|line| {
            !actual
                .iter()
                .any(|problem| problem.starts_with(line.as_str()))
        })
        .collect();
    let unexpected: Vec<&String> = actual
        .iter()
        .filter(|problem| {
            !expected
                .iter()
                .any(|line| problem.starts_with(line.as_str()))
        })
        .collect();
    if unmatched_expected.is_empty() && unexpected.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}: missing {unmatched_expected:?}, unexpected {unexpected:?}",
            folder.display()
        ))
    }
}

#[test]
fn every_fixture_pack_reports_exactly_its_expected_problems() {
    let folders = fixtures();
    assert!(folders.len() >= 10, "fixtures went missing: {folders:?}");
    let failures: Vec<String> = folders
        .iter()
        .filter_map(|folder| check(folder).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_shipped_knowledge_pack_is_valid_and_covers_the_five_articles() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let pack = load_pack(&folder).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(pack.articles.len(), 5);
    assert!(pack.claims.len() >= 100, "{} claims", pack.claims.len());
    for (position, article) in pack.articles.iter().enumerate() {
        let cited = pack.claims.iter().any(|claim| {
            claim
                .sources
                .iter()
                .any(|source| source.article.0 == position)
        });
        assert!(cited, "no claim cites {}", article.id);
    }
    // The articles disagree on these points; the pack must record each disagreement.
    assert!(pack.disagreements.len() >= 4, "{:?}", pack.disagreements);
}

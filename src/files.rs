//! Reading the knowledge pack from disk: the only module that opens pack files.
//!
//! It lists `articles/*.toml` and every other `*.toml` below the pack folder, in a stable
//! (sorted) order, and hands their names and contents to [`Pack::from_sources`]. It does no
//! validation of its own.

use std::path::{Path, PathBuf};

use crate::knowledge::{Pack, PackError, PackProblem, SourceFile, SourceKind};

/// Reads and validates the pack in `folder`. A file that cannot be read is reported like any
/// other pack problem.
pub fn load_pack(folder: &Path) -> Result<Pack, PackError> {
    let mut problems = Vec::new();
    let mut paths = Vec::new();
    collect_toml_files(folder, &mut paths, &mut problems);
    paths.sort();
    if paths.is_empty() && problems.is_empty() {
        problems.push(PackProblem {
            file: folder.display().to_string(),
            id: None,
            problem: "no .toml files here: is this the knowledge folder?".into(),
        });
    }
    let mut files = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        let relative = path.strip_prefix(folder).unwrap_or(&path);
        let kind = if relative.starts_with("articles") {
            SourceKind::Article
        } else {
            SourceKind::Tables
        };
        match std::fs::read_to_string(&path) {
            Ok(contents) => files.push(SourceFile {
                name,
                kind,
                contents,
            }),
            Err(error) => problems.push(PackProblem {
                file: name,
                id: None,
                problem: format!("cannot read: {error}"),
            }),
        }
    }
    match Pack::from_sources(&files) {
        Ok(pack) if problems.is_empty() => Ok(pack),
        Ok(_) => Err(PackError { problems }),
        Err(mut error) => {
            problems.append(&mut error.problems);
            Err(PackError { problems })
        }
    }
}

fn collect_toml_files(folder: &Path, paths: &mut Vec<PathBuf>, problems: &mut Vec<PackProblem>) {
    let reader = match std::fs::read_dir(folder) {
        Ok(reader) => reader,
        Err(error) => {
            problems.push(PackProblem {
                file: folder.display().to_string(),
                id: None,
                problem: format!("cannot read the knowledge folder: {error}"),
            });
            return;
        }
    };
    for item in reader.flatten() {
        let path = item.path();
        if path.is_dir() {
            collect_toml_files(&path, paths, problems);
        } else if path
            .extension()
            .is_some_and(|extension| extension == "toml")
        {
            paths.push(path);
        }
    }
}

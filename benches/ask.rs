//! Latency of one question on the real knowledge pack (criterion). Run: `cargo bench`.
//!
//! Measures `Engine::ask` end to end (analysis, scoring, decision, composition) for a few
//! kinds of question, and index construction for reference.

use std::hint::black_box;
use std::path::Path;

use citebot::config::Config;
use criterion::{Criterion, criterion_group, criterion_main};

fn bench_ask(criterion: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("config/citebot.toml")).expect("config");
    let engine = citebot::load_engine(&root.join("knowledge"), &config.matching).expect("pack");
    let questions = [
        ("answered_fr", "Quand a lieu le Bamex 2025 ?"),
        (
            "answered_en",
            "Who organised the BAMEX arms fair in Bamako?",
        ),
        (
            "sloppy_typos",
            "c koi l akinchi ki a ete abatu par lalgerie",
        ),
        ("near_miss", "Combien coûte un drone Bayraktar TB2 ?"),
        ("out_of_scope", "Quelle est la capitale de l'Australie ?"),
    ];
    let mut group = criterion.benchmark_group("ask");
    for (name, question) in questions {
        group.bench_function(name, |bencher| {
            bencher.iter(|| engine.ask(black_box(question)))
        });
    }
    group.finish();

    let pack = engine.pack().clone();
    criterion.bench_function("build_index", |bencher| {
        bencher.iter(|| citebot::index::Index::build(black_box(&pack), config.matching.weights()))
    });
}

criterion_group!(benches, bench_ask);
criterion_main!(benches);

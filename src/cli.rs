//! The command line: `ask`, `chat`, `check`, `eval` and `serve`.
//!
//! A thin edge: it reads arguments, files and standard input, calls the engine, and prints.
//! `anyhow` is used here and nowhere below. Everything the user reads comes from
//! [`crate::compose`].

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::compose::{JsonReply, plain_text};
use crate::config::{Config, DEFAULT_CONFIG_PATH};
use crate::engine::Engine;
use crate::eval;
use crate::files::load_pack;
use crate::text::guess_language;

#[derive(Debug, Parser)]
#[command(
    name = "citebot",
    version,
    about = "Answers questions about a curated set of news articles, citing the article and its date."
)]
struct Cli {
    /// Settings file.
    #[arg(long, global = true, env = "CITEBOT_CONFIG", default_value = DEFAULT_CONFIG_PATH)]
    config: PathBuf,
    /// Knowledge pack folder (overrides `knowledge_dir` of the settings file).
    #[arg(long, global = true, env = "CITEBOT_KNOWLEDGE")]
    knowledge: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Answer a question, as a person would read it.
    Ask {
        /// Write one JSON object per question; questions come from standard input, one per
        /// line, unless given as arguments.
        #[arg(long)]
        json: bool,
        /// Also print what matching saw: the analysed words and the best candidates.
        #[arg(long)]
        explain: bool,
        /// The question (several words are joined).
        question: Vec<String>,
    },
    /// A console conversation with the same engine as the bot. No token needed.
    Chat,
    /// Validate the knowledge pack: one line per problem, non-zero exit if any.
    Check {
        /// Also fail on warnings (phrasings two entries share).
        #[arg(long)]
        strict: bool,
    },
    /// Run a labelled question set and print accuracy, abstention and confusions.
    Eval {
        /// The question set (see tests/questions/README.md).
        file: PathBuf,
        /// Print only the summary, not every wrong case.
        #[arg(long)]
        quiet: bool,
    },
    /// Run the Telegram bot.
    Serve(crate::telegram::ServeArgs),
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(matches!(cli.command, Command::Serve(_)));
    match run(cli) {
        Ok(code) => code,
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            // The reader went away (`citebot ask … | head`): nothing left to say.
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("citebot: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn init_logging(serving: bool) {
    use tracing_subscriber::EnvFilter;
    let default_level = if serving { "info" } else { "warn" };
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let json = std::env::var("CITEBOT_LOG_FORMAT").is_ok_and(|format| format == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::load(&cli.config)?;
    let knowledge_dir = cli
        .knowledge
        .clone()
        .unwrap_or_else(|| config.knowledge_dir.clone());
    if let Command::Check { strict } = cli.command {
        return Ok(check(&knowledge_dir, strict));
    }
    let engine = load_engine(&knowledge_dir, &config)?;
    match cli.command {
        Command::Ask {
            json,
            explain,
            question,
        } => ask(&engine, json, explain, &question),
        Command::Chat => chat(&engine),
        Command::Eval { file, quiet } => evaluate(&engine, &config, &file, quiet),
        Command::Serve(args) => crate::telegram::serve(args, config, engine),
        Command::Check { .. } => unreachable!("handled above"),
    }
}

fn load_engine(knowledge_dir: &Path, config: &Config) -> anyhow::Result<Engine> {
    let pack = load_pack(knowledge_dir).map_err(|error| {
        anyhow::anyhow!(
            "{error}the knowledge pack in {} is invalid; `citebot check` lists the same problems",
            knowledge_dir.display()
        )
    })?;
    Ok(Engine::new(pack, config.matching.clone()))
}

fn check(knowledge_dir: &Path, strict: bool) -> ExitCode {
    match load_pack(knowledge_dir) {
        Ok(pack) => {
            let warnings = crate::index::shared_phrasings(&pack);
            for warning in &warnings {
                println!("warning: {warning}");
            }
            if !warnings.is_empty() {
                eprintln!(
                    "{} warning(s){}",
                    warnings.len(),
                    if strict { ", failing (--strict)" } else { "" }
                );
                if strict {
                    return ExitCode::FAILURE;
                }
            }
            println!(
                "{}: OK — {} articles, {} claims, {} entries, {} gaps, {} small-talk entries, {} disagreements, {} synonym groups",
                knowledge_dir.display(),
                pack.articles.len(),
                pack.claims.len(),
                pack.entries.len(),
                pack.gaps.len(),
                pack.smalltalk.len(),
                pack.disagreements.len(),
                pack.synonyms.len()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            for problem in &error.problems {
                println!("{problem}");
            }
            eprintln!("{} problem(s) found", error.problems.len());
            ExitCode::FAILURE
        }
    }
}

fn ask(
    engine: &Engine,
    json: bool,
    explain: bool,
    question: &[String],
) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if !question.is_empty() {
        let question = question.join(" ");
        if explain {
            writeln!(out, "{}", engine.explain(&question, 8))?;
        }
        let reply = engine.ask(&question);
        if json {
            writeln!(out, "{}", serde_json::to_string(&JsonReply::new(&reply))?)?;
        } else {
            writeln!(out, "{}", plain_text(&reply))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if !json {
        anyhow::bail!(
            "give a question, e.g. citebot ask \"Quand a lieu le Bamex 2025 ?\", or use --json to read questions from standard input"
        );
    }
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let line = line.context("reading standard input")?;
        let started = Instant::now();
        let reply = engine.ask(&line);
        tracing::debug!(
            status = reply.status.as_str(),
            entry = reply.target_id.as_deref().unwrap_or("-"),
            score = reply.score,
            micros = started.elapsed().as_micros() as u64,
            "question"
        );
        writeln!(out, "{}", serde_json::to_string(&JsonReply::new(&reply))?)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn chat(engine: &Engine) -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    writeln!(
        out,
        "citebot — posez une question sur les articles (ask a question about the articles).\nUn numéro choisit une suggestion ; « quitter » ou Ctrl-D pour sortir (type \"quit\" or Ctrl-D to leave).\n"
    )?;
    let mut last_suggestions: Vec<String> = Vec::new();
    let mut last_lang = crate::text::Lang::Fr;
    loop {
        write!(out, "> ")?;
        out.flush()?;
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            writeln!(out)?;
            break;
        }
        let input = line.trim();
        if input.is_empty() {
            continue;
        }
        if ["quit", "exit", "quitter", "/quit"].contains(&input.to_lowercase().as_str()) {
            break;
        }
        let picked = input
            .parse::<usize>()
            .ok()
            .and_then(|number| number.checked_sub(1))
            .and_then(|index| last_suggestions.get(index));
        let reply = match picked {
            Some(id) => engine.answer_id(id, last_lang),
            None => None,
        }
        .unwrap_or_else(|| engine.ask(input));
        last_lang = if picked.is_some() {
            last_lang
        } else {
            guess_language(input)
        };
        last_suggestions = reply
            .suggestions
            .iter()
            .map(|suggestion| suggestion.id.clone())
            .collect();
        writeln!(out, "\n{}\n", plain_text(&reply))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn evaluate(
    engine: &Engine,
    config: &Config,
    file: &Path,
    quiet: bool,
) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the question set {}", file.display()))?;
    let cases = eval::parse_question_set(&file.display().to_string(), &text)?;
    let report = eval::run(engine, &cases);
    println!("{} — {} questions", file.display(), cases.len());
    println!("{}", report.summary());
    if !quiet {
        let confusions = report.confusions();
        if !confusions.is_empty() {
            println!("\nconfusions:");
            for confusion in confusions {
                println!("  {confusion}");
            }
        }
    }
    let failed = report.failed_gates(&config.eval);
    if failed.is_empty() {
        println!("\nPASS");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("\nFAIL: {}", failed.join("; "));
        Ok(ExitCode::FAILURE)
    }
}

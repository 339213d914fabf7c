//! The command line (`werger …`): argument parsing with clap and one function per command.
//! Commands call the same service layer as the HTTP API and print its localized errors.

mod commands;
mod glossary;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Werger: a translation memory for English, Arabic, Sorani and Kurmanji statements.
#[derive(Debug, Parser)]
#[command(name = "werger", version, about)]
pub struct Cli {
    /// The data directory (SQLite database and search index).
    #[arg(long, global = true, env = "WERGER_DATA_DIR", default_value = "index")]
    pub data_dir: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service.
    Serve {
        /// Address to listen on; port 0 picks a free port (printed at start).
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Load the built-in demo statements first (nothing is added if they are present).
        #[arg(long)]
        demo: bool,
        /// HTTP worker threads.
        #[arg(long, default_value_t = 2)]
        workers: usize,
        /// Require this API key on `/api/v1/` calls (`X-Api-Key` or `Authorization: Bearer`);
        /// repeat for several, or set `WERGER_API_KEYS=k1,k2`. Without keys the API is open.
        #[arg(
            long = "api-key",
            env = "WERGER_API_KEYS",
            value_delimiter = ',',
            hide_env_values = true
        )]
        api_keys: Vec<String>,
    },
    /// Import a file into the memory.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export the memory.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Suggest prior translations for a text.
    Suggest {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// Print the JSON of the HTTP API instead of a table.
        #[arg(long)]
        json: bool,
        #[arg(long)]
        min_score: Option<u8>,
        #[arg(long)]
        limit: Option<usize>,
        text: String,
    },
    /// Find a phrase in the memory, with both sides of each unit.
    Concordance {
        #[arg(long)]
        lang: String,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        limit: Option<usize>,
        phrase: String,
    },
    /// Find the glossary terms in a text, with their equivalents in other languages.
    Terms {
        /// The language of TEXT.
        #[arg(long)]
        lang: String,
        /// Target languages (repeat or comma-separate); all others when absent.
        #[arg(long, value_delimiter = ',')]
        to: Vec<String>,
        /// Print `{"terms": [{"start", "end", "text", "concept_id", "targets": […]}]}` with
        /// character offsets into TEXT.
        #[arg(long)]
        json: bool,
        text: String,
    },
    /// Terminology check of a translation: approved terms missing, forbidden ones used.
    Qa {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
        /// The source text.
        source: String,
        /// The translation to check.
        target: String,
    },
    /// Align two versions of a statement sentence by sentence, without storing anything.
    Align {
        /// A version as `LANG=FILE` (plain text or Markdown; paragraphs separated by blank
        /// lines). Give exactly two; the first is the source.
        #[arg(long = "text", value_parser = parse_lang_file, required = true)]
        texts: Vec<(crate::core::lang::Lang, PathBuf)>,
        /// Print `{"pairs": [{"en": …, "ar": …, "confidence": …}]}`.
        #[arg(long)]
        json: bool,
    },
    /// Rebuild the search index from the database (stop the server first).
    Reindex,
    /// Merge the search index into one segment: faster lookups after large imports (stop the
    /// server first).
    Compact,
    /// Compare the search index with the database; exit status 1 on any disagreement.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Write a consistent copy of the database to DEST.
    Backup { dest: PathBuf },
    /// Retrieval evaluation: load TMX files as a memory and compare indexed suggestions with an
    /// exhaustive scan (used by .ci/run; see BENCHMARKS.md).
    #[command(hide = true)]
    EvalRetrieval {
        /// TMX files to load.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Sentences not in the memory, one per line, as `LANG=FILE` (e.g. FLORES-200).
        #[arg(long, value_parser = parse_lang_file)]
        unseen: Vec<(crate::core::lang::Lang, PathBuf)>,
        /// Queries per language pair.
        #[arg(long, default_value_t = 500)]
        queries: usize,
    },
    /// Alignment evaluation: rebuilt documents with perturbations, against NLTK's Gale–Church.
    #[command(hide = true)]
    EvalAlignment {
        /// Sentence-aligned TMX files (TICO-19), documents by `tuid` prefix.
        files: Vec<PathBuf>,
        /// The NTREX-128 folder (whole news articles in en, ar, ckb, kmr).
        #[arg(long)]
        ntrex: Option<PathBuf>,
        /// A Python interpreter with nltk, for the Gale–Church baseline.
        #[arg(long)]
        python: Option<PathBuf>,
    },
    /// Variant retrieval evaluation: queries that differ from a memory sentence only by
    /// inflection or spelling variant, against a naive whitespace-tokenizing memory.
    #[command(hide = true)]
    EvalVariants {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Queries per language and kind of variant.
        #[arg(long, default_value_t = 300)]
        queries: usize,
    },
    /// Term-recognition evaluation: TICO-19 terminologies as a glossary, checked against the
    /// reference translations of the TMX files, against exact string matching.
    #[command(hide = true)]
    EvalTerms {
        /// The folder of terminology CSV files.
        #[arg(long)]
        terminologies: PathBuf,
        /// Print this many target terms found by substring but not by Werger (to stderr).
        #[arg(long, default_value_t = 0)]
        examples: usize,
        /// Sentence-aligned TMX files with English and one other language.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Performance figures (issue #7): memories of each size built from the shared corpora,
    /// import, disk, start-up, memory, suggest latency in process and over HTTP, throughput,
    /// and the baselines (exhaustive scan; pg_trgm and translate-toolkit via --python).
    #[command(hide = true)]
    Bench {
        /// The shared data folder (../shared/data).
        #[arg(long)]
        data: PathBuf,
        /// Where generated archives and memories go.
        #[arg(long, default_value = "target/bench")]
        work: PathBuf,
        #[arg(long, value_delimiter = ',', default_value = "10000,100000")]
        sizes: Vec<u64>,
        /// Suggest queries per size.
        #[arg(long, default_value_t = 400)]
        queries: usize,
        /// Queries also answered by the exhaustive scan and the baselines.
        #[arg(long, default_value_t = 40)]
        scan_queries: usize,
        /// A Python with psycopg and translate-toolkit, for `.ci/bench_baselines.py`.
        #[arg(long)]
        python: Option<PathBuf>,
        /// Largest memory given to translate-toolkit.
        #[arg(long, default_value_t = 10000)]
        ttk_max: u64,
        /// Seconds of each HTTP load run.
        #[arg(long, default_value_t = 10)]
        http_seconds: u64,
        /// Reuse memories built by an earlier run (no import figures; for profiling).
        #[arg(long)]
        reuse: bool,
    },
    /// Segmentation evaluation: rebuild documents from sentence-aligned TMX files (consecutive
    /// `tuid`s of one document) and score the sentence splitter per language.
    #[command(hide = true)]
    EvalSegmentation {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Put sentences without final punctuation (headings, list items) on their own line.
        #[arg(long)]
        keep_lines: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import one statement: its versions are segmented, aligned and stored as units.
    Statement {
        #[arg(long)]
        id: String,
        /// Publication date, YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        /// A version as `LANG=FILE` (`.txt`, `.md` or `.html`); two or more.
        #[arg(long = "text", value_parser = parse_lang_file, required = true)]
        texts: Vec<(crate::core::lang::Lang, PathBuf)>,
    },
    /// Import a folder of statements named `ID.LANG.txt` (or `.md`, `.html`), one statement per
    /// ID, with a progress bar.
    Statements { dir: PathBuf },
    /// Import a TBX glossary (TBX v3/TBX-Basic or v2 `martif`): all of it, or nothing.
    Tbx {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Import a CSV glossary: one column per language (`id,subject,definition,note,en,ar,…`,
    /// optional `LANG_status`), or a bilingual list `sourceLang,targetLang,sourceString,targetString`.
    Csv {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Import a TMX 1.4b file (UTF-8 or UTF-16).
    Tmx {
        file: PathBuf,
        /// Print the import report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Export the glossary as TBX v3 (TBX-Basic).
    Tbx {
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Export the glossary as CSV, one column per language.
    Csv {
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Export TMX 1.4b to standard output or a file.
    Tmx {
        /// Only these languages, e.g. `en,ar`.
        #[arg(long, value_delimiter = ',')]
        langs: Option<Vec<String>>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// `LANG=FILE` arguments.
fn parse_lang_file(arg: &str) -> Result<(crate::core::lang::Lang, PathBuf), String> {
    let (lang, file) = arg.split_once('=').ok_or("expected LANG=FILE")?;
    let lang = crate::core::lang::parse_lang(lang).map_err(|e| e.to_string())?;
    Ok((lang, PathBuf::from(file)))
}

/// Run the command line; returns the process exit status.
pub fn run() -> i32 {
    let cli = Cli::parse();
    commands::run(cli)
}

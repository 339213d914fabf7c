//! The `werger` binary: logging set-up, then the command line.

/// mimalloc instead of the system allocator: tokenizing and indexing allocate many small
/// strings from several threads at once, where glibc's malloc spent a fifth of an import's time
/// (BENCHMARKS.md, "Import").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    std::process::exit(werger::cli::run());
}

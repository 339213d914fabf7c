//! The `werger` binary: logging set-up, then the command line.

/// mimalloc instead of the system allocator: tokenizing and indexing allocate many small
/// strings from several threads at once, where glibc's malloc spent a fifth of an import's time
/// (BENCHMARKS.md, "Import"). Its `no_thp` feature (Cargo.toml) keeps it from asking for
/// transparent huge pages: the kernel then zeroed 2 MiB pages for heaps that use a fraction of
/// them — 12% of a 100k-unit import, system time 7.5 → 2.2 s (BENCHMARKS.md, third round).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    std::process::exit(werger::cli::run());
}

//! End-to-end performance figures (issue #7): build memories of several sizes from the
//! synthetic archive ([`super::corpus`]), then measure TMX import, index size, start-up, resident
//! memory, suggest latency in process and over HTTP, throughput under concurrent load, and the
//! baselines on the same queries in the same run: an exhaustive scan with the same scorer,
//! PostgreSQL pg_trgm and translate-toolkit's matcher (both through `.ci/bench_baselines.py`).
//! Figures are printed as Markdown for BENCHMARKS.md; nothing is asserted.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::corpus::{generate, load_bases, write_tmx, Base};
use crate::core::fuzzy::Scorer;
use crate::core::lang::Lang;
use crate::core::segment::sentences;
use crate::core::tokenize::Analyzed;
use crate::service::{Service, ServiceError, SuggestRequest};

/// What to run.
pub struct BenchOptions {
    pub data: PathBuf,
    pub work: PathBuf,
    pub sizes: Vec<u64>,
    pub queries: usize,
    pub scan_queries: usize,
    pub python: Option<PathBuf>,
    /// Largest memory given to translate-toolkit (it holds everything in Python objects).
    pub ttk_max: u64,
    pub http_seconds: u64,
    /// Keep a memory built by an earlier run instead of importing again (for profiling).
    pub reuse: bool,
}

fn internal(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::internal(e)
}

/// Latency percentiles in milliseconds.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(|a, b| a.total_cmp(b));
    v
}

/// Bytes under `path`, recursively.
fn disk_usage(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if meta.is_dir() {
        std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| disk_usage(&e.path()))
            .sum()
    } else {
        meta.len()
    }
}

/// Resident memory of a process, in MiB, from /proc: `VmRSS` (all), `RssFile` (mapped files,
/// here the index) or `RssAnon` (the heap).
fn rss_mib(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| {
        l.strip_prefix(field)
            .is_some_and(|rest| rest.starts_with(':'))
    })?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The queries: near-duplicates of archive units (a new number, date or place, or a clause
/// dropped), i.e. the sentences of a new release; in `lang`. Each query is one sentence, as
/// the issue defines a lookup: a generated text of several sentences (TICO-19 units often hold
/// two) gives one query per sentence, as the editor sends them.
fn queries(bases: &[Base], size: u64, n: usize, lang: Lang) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    for k in 0.. {
        let text = &generate(bases, size + bases.len() as u64 * (3 + k) + k * 7)[lang.index()];
        for (start, end) in sentences(lang, text) {
            if out.len() == n {
                return out;
            }
            out.push(text[start..end].to_string());
        }
    }
    out
}

/// A minimal HTTP/1.1 keep-alive client: enough to load the server without a dependency.
struct Client {
    stream: BufReader<TcpStream>,
    host: String,
}

impl Client {
    fn connect(addr: &str) -> std::io::Result<Client> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        Ok(Client {
            stream: BufReader::new(stream),
            host: addr.to_string(),
        })
    }

    /// POST a JSON body; returns the status.
    fn post(&mut self, path: &str, body: &str) -> std::io::Result<u16> {
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.host,
            body.len()
        );
        self.stream.get_mut().write_all(request.as_bytes())?;
        let mut status_line = String::new();
        self.stream.read_line(&mut status_line)?;
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            self.stream.read_line(&mut line)?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0u8; length];
        self.stream.read_exact(&mut body)?;
        Ok(status)
    }
}

/// The server as a child process on a free loopback port.
struct ServerProcess {
    child: Child,
    addr: String,
}

impl ServerProcess {
    fn start(dir: &Path) -> Result<(ServerProcess, Duration), ServiceError> {
        let exe = std::env::current_exe().map_err(internal)?;
        let started = Instant::now();
        let mut child = Command::new(exe)
            .arg("--data-dir")
            .arg(dir)
            .args(["serve", "--bind", "127.0.0.1:0", "--workers", "2"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(internal)?;
        let stdout = child.stdout.take().ok_or_else(|| internal("no stdout"))?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(internal)?;
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .ok_or_else(|| internal(format!("server said {line:?}")))?
            .to_string();
        // Ready: the index has replayed the log (GET /readyz answers 200).
        loop {
            if let Ok(mut s) = TcpStream::connect(&addr) {
                let _ = write!(
                    s,
                    "GET /readyz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
                );
                let mut answer = String::new();
                let _ = s.read_to_string(&mut answer);
                if answer.starts_with("HTTP/1.1 200") {
                    break;
                }
            }
            if started.elapsed() > Duration::from_secs(600) {
                return Err(internal("server not ready after 600 s"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let ready = started.elapsed();
        Ok((ServerProcess { child, addr }, ready))
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn suggest_body(from: Lang, to: Lang, text: &str) -> String {
    serde_json::json!({"source_lang": from, "target_lang": to, "text": text}).to_string()
}

/// `threads` clients posting suggestions for `seconds`; returns sorted latencies (ms), the
/// request count and errors.
fn load(addr: &str, bodies: &[String], threads: usize, seconds: u64) -> (Vec<f64>, usize, usize) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let addr = addr.to_string();
            let bodies = bodies.to_vec();
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut errors = 0;
                let Ok(mut client) = Client::connect(&addr) else {
                    return (latencies, 1);
                };
                let mut i = t * 7;
                while Instant::now() < deadline {
                    let body = &bodies[i % bodies.len()];
                    i += 1;
                    let start = Instant::now();
                    match client.post("/api/v1/suggest", body) {
                        Ok(200) => latencies.push(start.elapsed().as_secs_f64() * 1000.0),
                        _ => {
                            errors += 1;
                            match Client::connect(&addr) {
                                Ok(c) => client = c,
                                Err(_) => break,
                            }
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for h in handles {
        if let Ok((l, e)) = h.join() {
            all.extend(l);
            errors += e;
        }
    }
    let n = all.len();
    (sorted(all), n, errors)
}

/// One row of figures per memory size.
#[derive(Default)]
struct Row {
    size: u64,
    import_tus_per_s: f64,
    import_s: f64,
    /// The background merge into one segment after the import (waited for before lookups).
    merge_s: f64,
    disk_mib: f64,
    /// The first lookup after opening the memory (cold caches), ms.
    first_ms: f64,
    startup_s: f64,
    rss_mib: f64,
    inproc: (f64, f64),
    /// The same lookups' time on the CPU (p50, p99): their own cost, without waiting for a
    /// core (this machine's host takes its cores back at times).
    inproc_cpu: (f64, f64),
    http: (f64, f64),
    throughput: Vec<(usize, f64, usize)>,
    scan_ms: f64,
    agree: (usize, usize),
    baselines: Vec<String>,
}

pub fn run(opts: &BenchOptions) -> Result<i32, ServiceError> {
    let bases = load_bases(&opts.data)?;
    std::fs::create_dir_all(&opts.work).map_err(internal)?;
    println!("## Performance (issue #7)\n");
    println!(
        "Bases: {} four-way parallel sentences (FLORES-200 dev, NTREX-128, TICO-19); machine: {} cores.\n",
        bases.len(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut rows = Vec::new();
    for &size in &opts.sizes {
        rows.push(measure(&bases, size, opts)?);
    }
    println!("| TUs | import TUs/s (s; then merge s) | on disk MiB | start-up s | RSS MiB | first lookup ms | in-process p50 / p99 ms | on CPU p50 / p99 ms | HTTP p50 / p99 ms | throughput req/s (clients) | scan ms/query | index speed-up vs scan | top-1 agreement with scan |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        let throughput = r
            .throughput
            .iter()
            .map(|(c, rps, err)| {
                if *err > 0 {
                    format!("{rps:.0} ({c}, {err} errors)")
                } else {
                    format!("{rps:.0} ({c})")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        println!(
            "| {} | {:.0} ({:.1}; {:.1}) | {:.0} | {:.2} | {:.0} | {:.1} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2} / {:.2} | {} | {:.1} | {:.0}× | {} of {} |",
            r.size,
            r.import_tus_per_s,
            r.import_s,
            r.merge_s,
            r.disk_mib,
            r.startup_s,
            r.rss_mib,
            r.first_ms,
            r.inproc.0,
            r.inproc.1,
            r.inproc_cpu.0,
            r.inproc_cpu.1,
            r.http.0,
            r.http.1,
            throughput,
            r.scan_ms,
            r.scan_ms / r.inproc.0.max(1e-9),
            r.agree.0,
            r.agree.1,
        );
    }
    println!();
    for r in &rows {
        for b in &r.baselines {
            println!("{b}");
        }
    }
    Ok(0)
}

fn measure(bases: &[Base], size: u64, opts: &BenchOptions) -> Result<Row, ServiceError> {
    let mut row = Row {
        size,
        ..Row::default()
    };
    let tmx = opts.work.join(format!("archive-{size}.tmx"));
    if !tmx.exists() {
        write_tmx(bases, size, &tmx)?;
    }
    let dir = opts.work.join(format!("memory-{size}"));
    if opts.reuse && dir.exists() {
        // An index of an older schema is rebuilt on open; do it before anything is timed.
        let service = Service::open(&dir)?;
        let started = Instant::now();
        if let crate::store::Applied::UpTo(_) = service.store.changed()? {
            eprintln!(
                "[{size}] index up to date in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        service.store.shutdown()?;
    } else {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!("[{size}] importing {}", tmx.display());
        let service = Service::open(&dir)?;
        let started = Instant::now();
        let report = service.import_tmx(&tmx, "archive", &mut |_| {})?;
        row.import_s = started.elapsed().as_secs_f64();
        row.import_tus_per_s = report.units_read as f64 / row.import_s;
        // The import is answered once indexed; the merge into one segment that follows a big
        // import runs in the background, and closing waits for it.
        let merging = Instant::now();
        service.store.shutdown()?;
        row.merge_s = merging.elapsed().as_secs_f64();
    }
    row.disk_mib = disk_usage(&dir) as f64 / (1024.0 * 1024.0);

    // In process: one sentence per call of `suggest`, four directions.
    let directions = [
        (Lang::En, Lang::Ar),
        (Lang::Ar, Lang::En),
        (Lang::Ckb, Lang::Kmr),
        (Lang::Kmr, Lang::Ckb),
    ];
    let query_en = queries(bases, size, opts.queries, Lang::En);
    {
        let service = Service::open(&dir)?;
        let request = |from: Lang, to: Lang, text: String| SuggestRequest {
            source_lang: from.code().into(),
            target_lang: to.code().into(),
            text,
            min_score: None,
            limit: None,
        };
        // A server answers from warm caches (mapped index pages, SQLite's page cache, the
        // analysis memos): the first lookup after opening is reported on its own, then 25
        // other queries per direction (another seed) warm up before the measured ones.
        let first = queries(bases, size + 1000, 1, Lang::En).remove(0);
        let start = Instant::now();
        service.suggest(&request(Lang::En, Lang::Ar, first))?;
        row.first_ms = start.elapsed().as_secs_f64() * 1000.0;
        // What `werger serve` does in the background after opening (`SearchIndex::preload`).
        let start = Instant::now();
        let bytes = service.store.preload_index()?;
        eprintln!(
            "[{size}] index read into memory: {} MiB in {:.1} s",
            bytes >> 20,
            start.elapsed().as_secs_f64()
        );
        for (d, (from, to)) in directions.iter().enumerate() {
            for text in queries(bases, size + 1000 + d as u64, 25, *from) {
                service.suggest(&request(*from, *to, text))?;
            }
        }
        let mut latencies = Vec::new();
        let mut on_cpu = Vec::new();
        // (ms, direction, CPU time and faults, segments, text) of every query: the slowest are
        // listed with WERGER_EVAL_VERBOSE=1, for profiling the tail.
        let mut timed: Vec<(f64, String, usize, String)> = Vec::new();
        for (d, (from, to)) in directions.iter().enumerate() {
            let texts = queries(bases, size + d as u64, opts.queries / 4 + 1, *from);
            for text in texts {
                let request = request(*from, *to, text);
                let (f0, cpu0) = (faults(), on_cpu_ms());
                let start = Instant::now();
                let answer = service.suggest(&request)?;
                let ms = start.elapsed().as_secs_f64() * 1000.0;
                let (f1, cpu1) = (faults(), on_cpu_ms());
                latencies.push(ms);
                on_cpu.push(cpu1 - cpu0);
                let detail = format!(
                    "{from}→{to}, {:.1} ms on CPU, page faults {} minor {} major",
                    cpu1 - cpu0,
                    f1.0 - f0.0,
                    f1.1 - f0.1
                );
                timed.push((ms, detail, answer.segments.len(), request.text));
            }
        }
        if std::env::var_os("WERGER_EVAL_VERBOSE").is_some() {
            timed.sort_by(|a, b| b.0.total_cmp(&a.0));
            for (ms, detail, segments, text) in timed.iter().take(8) {
                let words = text.split_whitespace().count();
                eprintln!(
                    "slow: {ms:.1} ms {detail}, {segments} segment(s), {words} words: {text}"
                );
            }
        }
        let latencies = sorted(latencies);
        row.inproc = (percentile(&latencies, 0.5), percentile(&latencies, 0.99));
        let on_cpu = sorted(on_cpu);
        row.inproc_cpu = (percentile(&on_cpu, 0.5), percentile(&on_cpu, 0.99));

        // The exhaustive scan on a subset of the English queries, analysis excluded (the most
        // favourable setting for the baseline): the oracle for top-1 agreement.
        eprintln!("[{size}] exhaustive scan");
        let scan_n = opts.scan_queries.min(query_en.len());
        let analysed: Vec<Analyzed> = query_en[..scan_n]
            .iter()
            .map(|q| Analyzed::new(Lang::En, q.as_str()))
            .collect();
        let lens: Vec<usize> = analysed.iter().map(|a| a.content().count()).collect();
        let mut best: Vec<(u8, i64)> = vec![(0, 0); scan_n];
        // One scorer per query: a scorer remembers its query's word costs across candidates.
        let mut scorers: Vec<Scorer> = (0..scan_n).map(|_| Scorer::new()).collect();
        let mut scan_time = Duration::ZERO;
        let corpus_tsv = opts.work.join(format!("corpus-{size}.en.tsv"));
        let mut tsv =
            std::io::BufWriter::new(std::fs::File::create(&corpus_tsv).map_err(internal)?);
        let mut write_error = None;
        service.store.db.for_each_variant(|id, lang, text, _| {
            if lang != Lang::En {
                return;
            }
            if let Err(e) = writeln!(tsv, "{id}\t{}", text.replace(['\t', '\n'], " ")) {
                write_error = Some(e);
            }
            let candidate = Analyzed::new(Lang::En, text);
            let clen = candidate.content().count();
            let start = Instant::now();
            for (q, query) in analysed.iter().enumerate() {
                if best[q].0 == 100 || Scorer::upper_bound(lens[q], clen) <= best[q].0 {
                    continue;
                }
                // The same early exit suggestions use: only a better score matters.
                if let Some(s) = scorers[q].score_at_least(query, &candidate, best[q].0 + 1) {
                    best[q] = (s, id);
                }
            }
            scan_time += start.elapsed();
        })?;
        tsv.flush().map_err(internal)?;
        if let Some(e) = write_error {
            return Err(internal(e));
        }
        row.scan_ms = scan_time.as_secs_f64() * 1000.0 / scan_n.max(1) as f64;
        let mut agree = 0;
        for (q, text) in query_en[..scan_n].iter().enumerate() {
            let found = service.matches(Lang::En, Lang::Ar, text, 0, 1)?;
            let top = found.first().map_or(0, |m| m.score);
            agree += usize::from(top == best[q].0);
            if top != best[q].0 && std::env::var_os("WERGER_EVAL_VERBOSE").is_some() {
                let oracle = service.store.db.get_unit(best[q].1)?;
                let oracle = oracle
                    .as_ref()
                    .and_then(|u| u.unit.variant(Lang::En))
                    .map_or("", |v| v.text.as_str());
                eprintln!(
                    "[{size}] miss: query {text:?}\n  scan {} {oracle:?}\n  index {} {:?}",
                    best[q].0,
                    top,
                    found.first().map_or("", |m| m.source.as_str())
                );
            }
        }
        row.agree = (agree, scan_n);

        // Baselines on the same English queries.
        if let Some(python) = &opts.python {
            let queries_file = opts.work.join(format!("queries-{size}.en.txt"));
            std::fs::write(&queries_file, query_en[..scan_n].join("\n")).map_err(internal)?;
            let out = opts.work.join(format!("baselines-{size}.json"));
            let script = Path::new(".ci/bench_baselines.py");
            let mut cmd = Command::new(python);
            cmd.arg(script)
                .arg("--corpus")
                .arg(&corpus_tsv)
                .arg("--queries")
                .arg(&queries_file)
                .arg("--out")
                .arg(&out);
            if size <= opts.ttk_max {
                cmd.arg("--ttk");
            }
            eprintln!("[{size}] baselines: {cmd:?}");
            let status = cmd.status().map_err(internal)?;
            if !status.success() {
                return Err(internal(format!("{cmd:?} failed: {status}")));
            }
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&out).map_err(internal)?)
                    .map_err(internal)?;
            for (name, result) in json.as_object().into_iter().flatten() {
                let lat: Vec<f64> = result["latencies_ms"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_f64())
                    .collect();
                let tops: Vec<String> = result["top1"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|v| v.as_str().unwrap_or("").to_string())
                    .collect();
                let lat = sorted(lat);
                let mut agree = 0;
                for (q, top) in tops.iter().enumerate() {
                    let score = if top.is_empty() {
                        0
                    } else {
                        scorers[q].score(&analysed[q], &Analyzed::new(Lang::En, top.as_str()))
                    };
                    agree += usize::from(score == best[q].0);
                }
                let p50 = percentile(&lat, 0.5);
                row.baselines.push(format!(
                    "- {size} TUs, {name}: p50 {:.2} ms, p99 {:.2} ms over {} queries; top-1 agreement with the scan {} of {}; Werger in-process p50 is {:.0}× faster{}",
                    p50,
                    percentile(&lat, 0.99),
                    lat.len(),
                    agree,
                    tops.len(),
                    p50 / row.inproc.0.max(1e-9),
                    result["note"].as_str().map(|n| format!(" ({n})")).unwrap_or_default()
                ));
            }
        }
        service.store.shutdown()?;
    }

    // Over HTTP: the server as users run it.
    eprintln!("[{size}] server");
    let (server, ready) = ServerProcess::start(&dir)?;
    row.startup_s = ready.as_secs_f64();
    let bodies: Vec<String> = query_en
        .iter()
        .map(|q| suggest_body(Lang::En, Lang::Ar, q))
        .collect();
    let (single, _, _) = load(&server.addr, &bodies, 1, opts.http_seconds);
    row.http = (percentile(&single, 0.5), percentile(&single, 0.99));
    for clients in [4, 16] {
        let (_, n, errors) = load(&server.addr, &bodies, clients, opts.http_seconds);
        row.throughput
            .push((clients, n as f64 / opts.http_seconds as f64, errors));
    }
    row.rss_mib = rss_mib(server.child.id(), "VmRSS").unwrap_or(f64::NAN);
    eprintln!(
        "[{size}] server resident memory {:.0} MiB: {:.0} MiB mapped index files, {:.0} MiB heap",
        row.rss_mib,
        rss_mib(server.child.id(), "RssFile").unwrap_or(f64::NAN),
        rss_mib(server.child.id(), "RssAnon").unwrap_or(f64::NAN)
    );
    drop(server);
    Ok(row)
}

/// The time this thread has spent on a CPU, in ms, from the scheduler's own account
/// (`/proc/thread-self/schedstat`, nanoseconds): a lookup's cost without the time it waited
/// for a core.
fn on_cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e6)
}

/// This process's page faults so far, (minor, major), from /proc: a lookup that waited for
/// the disk shows major faults (the index's pages were evicted, see BENCHMARKS.md).
fn faults() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name, from the state (field 3) on.
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let field = |n: usize| fields.get(n - 3).and_then(|f| f.parse().ok()).unwrap_or(0);
    (field(10), field(12))
}

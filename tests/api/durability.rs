use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use super::support::*;

/// A TMX file of `n` en/ar units, numbered from `first`.
fn generated_tmx(path: &Path, first: usize, n: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="test" creationtoolversion="1"/><body>"#).unwrap();
    for i in first..first + n {
        writeln!(
            out,
            r#"<tu tuid="g{i}"><tuv xml:lang="en"><seg>Statement {i}: the Coalition delivered {i} boxes of medical supplies to the hospital in Mosul.</seg></tuv><tuv xml:lang="ar"><seg>البيان {i}: سلّم التحالف {i} صندوقاً من اللوازم الطبية إلى المستشفى في الموصل.</seg></tuv></tu>"#
        )
        .unwrap();
    }
    writeln!(out, "</body></tmx>").unwrap();
}

fn units(server: &Server) -> u64 {
    server.get("/readyz").1["units"].as_u64().unwrap()
}

#[test]
fn kill_9_during_an_import_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.tmx");
    let big = dir.path().join("big.tmx");
    generated_tmx(&small, 0, 300);
    generated_tmx(&big, 1000, 150_000);

    let server = Server::start(dir.path(), &[]);
    let (status, report) = send(
        "POST",
        &server.url("/api/v1/import/tmx?name=small.tmx"),
        std::fs::read(&small).unwrap().as_slice(),
        &[],
    );
    assert_eq!(
        (status, report["added"].as_u64()),
        (200, Some(300)),
        "{report}"
    );
    let (status, unit) = server.post("/api/v1/units", &json!({"variants": {"en": "Acknowledged before the crash.", "ckb": "پێش تێکچوونەکە پەسەندکرا."}}));
    assert_eq!(status, 201);
    let acked_id = unit["id"].as_i64().unwrap();

    // Start the big import and kill the server once the upload is spooled and being imported.
    let url = server.url("/api/v1/import/tmx?name=big.tmx");
    let body = std::fs::read(&big).unwrap();
    let expected_len = body.len() as u64;
    let client =
        std::thread::spawn(move || try_send("POST", &url, body.as_slice(), &[]).map(|r| r.0));
    let uploads = dir.path().join("uploads");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let spooled = std::fs::read_dir(&uploads)
            .map(|entries| {
                entries
                    .flatten()
                    .any(|e| e.metadata().is_ok_and(|m| m.len() == expected_len))
            })
            .unwrap_or(false);
        if spooled {
            break;
        }
        assert!(Instant::now() < deadline, "the upload never completed");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    server.kill();
    let outcome = client.join().unwrap();
    assert!(
        !matches!(outcome, Ok(200)),
        "the big import must not have been acknowledged before the kill"
    );

    // Restart: every acknowledged write is there, the big import is all or nothing, and the
    // index agrees with the database.
    let server = Server::start(dir.path(), &[]);
    let count = units(&server);
    assert!(
        count == 301 || count == 150_301,
        "all or nothing, got {count}"
    );
    assert_eq!(server.get(&format!("/api/v1/units/{acked_id}")).0, 200);
    let (_, body) = server.post("/api/v1/suggest", &json!({"source_lang": "en", "target_lang": "ar",
        "text": "Statement 17: the Coalition delivered 17 boxes of medical supplies to the hospital in Mosul."}));
    assert_eq!(body["segments"][0]["matches"][0]["score"], 100, "{body}");
    let check = cli(dir.path(), &["check"]);
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
    assert!(stdout(&check).contains("ok:"), "{}", stdout(&check));
    assert!(
        std::fs::read_dir(&uploads).map(|d| d.count()).unwrap_or(0) == 0,
        "stale uploads are removed at start-up"
    );
}

#[test]
fn a_cli_import_beside_the_running_server_is_indexed_by_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let file = dir.path().join("beside.tmx");
    generated_tmx(&file, 0, 50);
    let out = cli(dir.path(), &["import", "tmx", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("50 added"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("running server"),
        "the server holds the index writer: {}",
        stdout(&out)
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, body) = server.post(
            "/api/v1/suggest",
            &json!({"source_lang": "ar", "target_lang": "en",
            "text": "البيان 7: سلّم التحالف 7 صندوقاً من اللوازم الطبية إلى المستشفى في الموصل."}),
        );
        if body["segments"][0]["matches"][0]["score"] == 100 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server never indexed the CLI import: {body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let check = cli(dir.path(), &["check"]);
    assert!(check.status.success(), "{}", stdout(&check));
}

#[test]
fn check_reports_disagreement_and_reindex_repairs_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("few.tmx");
    generated_tmx(&file, 0, 20);
    assert!(cli(dir.path(), &["import", "tmx", file.to_str().unwrap()])
        .status
        .success());
    let ok = cli(dir.path(), &["check"]);
    assert!(ok.status.success(), "{}", stdout(&ok));

    // Change the database behind the index's back (no change-log entry).
    let db = rusqlite::Connection::open(dir.path().join("werger.sqlite3")).unwrap();
    db.execute(
        "UPDATE tuv SET text = 'tampered' WHERE tu_id = 3 AND lang = 'en'",
        [],
    )
    .unwrap();
    db.execute("DELETE FROM tu WHERE id = 5", []).unwrap();
    drop(db);
    let bad = cli(dir.path(), &["check"]);
    assert_eq!(bad.status.code(), Some(1), "{}", stdout(&bad));
    let report = stdout(&bad);
    assert!(
        report.contains("unit 3 (en)") && report.contains("unit 5"),
        "{report}"
    );

    let reindex = cli(dir.path(), &["reindex"]);
    assert!(reindex.status.success(), "{}", stderr(&reindex));
    let fixed = cli(dir.path(), &["check"]);
    assert!(fixed.status.success(), "{}", stdout(&fixed));

    // reindex refuses while a server holds the index writer.
    let server = Server::start(dir.path(), &[]);
    let busy = cli(dir.path(), &["reindex"]);
    assert_eq!(busy.status.code(), Some(1));
    assert!(
        stderr(&busy).contains("holds the search index writer"),
        "{}",
        stderr(&busy)
    );
    drop(server);
}

use serde_json::Value;

use super::support::*;

#[test]
fn cli_suggest_json_has_the_api_shape() {
    let dir = tempfile::tempdir().unwrap();
    // Load the demo memory through a short-lived server, then query it from the CLI.
    drop(Server::start(dir.path(), &["--demo"]));
    let out = cli(
        dir.path(),
        &["suggest", "--from", "en", "--to", "ar", "--json", "The Coalition delivered 30 armoured vehicles to the Peshmerga Security Forces in Duhok."],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let body: Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    let m = &body["segments"][0]["matches"][0];
    for key in ["score", "source", "target", "tu_id", "diff", "origin"] {
        assert!(!m[key].is_null(), "match lacks {key}: {m}");
    }
    assert!(m["score"].as_u64().unwrap() < 100);

    let text = cli(
        dir.path(),
        &[
            "suggest",
            "--from",
            "en",
            "--to",
            "kmr",
            "--min-score",
            "20",
            "The Coalition delivered armoured vehicles.",
        ],
    );
    assert!(text.status.success());
    assert!(stdout(&text).contains('%'), "{}", stdout(&text));

    let bad = cli(
        dir.path(),
        &["suggest", "--from", "xx", "--to", "ar", "text"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("unsupported_language"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn demo_loading_is_idempotent_and_data_dir_comes_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo"]);
    let first = server.get("/readyz").1["units"].as_u64().unwrap();
    assert!(first >= 40, "{first}");
    drop(server);
    let server = Server::start(dir.path(), &["--demo"]);
    assert_eq!(server.get("/readyz").1["units"].as_u64().unwrap(), first);
    drop(server);

    let out = std::process::Command::new(BIN)
        .args(["concordance", "--lang", "en", "--to", "ckb", "Peshmerga"])
        .env("WERGER_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("[Peshmerga]"), "{}", stdout(&out));

    let backup = dir.path().join("copy.sqlite3");
    let out = cli(dir.path(), &["backup", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let copy = rusqlite::Connection::open(&backup).unwrap();
    let n: i64 = copy
        .query_row("SELECT COUNT(*) FROM tu", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n as u64, first);
}

#[test]
fn align_prints_the_pairs_of_two_versions_without_storing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(
        dir.path(),
        &[
            "align",
            "--text",
            &format!("en={}", fixture("statement-en.txt").display()),
            "--text",
            &format!("ar={}", fixture("statement-ar.txt").display()),
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let body: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let pairs = body["pairs"].as_array().unwrap();
    let find = |needle: &str| {
        pairs
            .iter()
            .find(|p| p["en"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no pair with {needle}: {body}"))
    };
    // The Arabic translator merged the first two sentences of the second paragraph (2-1).
    let merged = find("12 tons");
    assert!(
        merged["en"].as_str().unwrap().contains("ventilators"),
        "{merged}"
    );
    assert!(
        merged["ar"].as_str().unwrap().contains("١٢ طناً"),
        "{merged}"
    );
    assert_eq!(
        find("4 million")["ar"].as_str().unwrap(),
        "يأتي هذا التسليم ضمن برنامج بقيمة ٤ ملايين دولار."
    );
    assert!(find("Harwood")["ar"].as_str().unwrap().contains("هاروود"));
    for p in pairs {
        let c = p["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c), "{p}");
    }
    // Document order: the title first.
    assert!(pairs[0]["en"]
        .as_str()
        .unwrap()
        .starts_with("Coalition delivers"));
    assert!(
        !dir.path().join("werger.sqlite3").exists(),
        "align stores nothing"
    );

    let one = cli(
        dir.path(),
        &[
            "align",
            "--text",
            &format!("en={}", fixture("statement-en.txt").display()),
        ],
    );
    assert_eq!(one.status.code(), Some(2), "{}", stderr(&one));
}

#[test]
fn a_folder_of_statements_is_imported_and_suggests_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("archive");
    std::fs::create_dir(&folder).unwrap();
    for lang in ["en", "ar", "ckb", "kmr"] {
        std::fs::copy(
            fixture(&format!("statement-{lang}.txt")),
            folder.join(format!("duhok-2022.{lang}.txt")),
        )
        .unwrap();
    }
    std::fs::write(folder.join("notes.txt"), "not a statement").unwrap();
    let data = dir.path().join("data");
    let out = cli(&data, &["import", "statements", folder.to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("1 statements, 8 units added"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("ignored notes.txt"),
        "{}",
        stdout(&out)
    );
    let s = cli(
        &data,
        &[
            "suggest",
            "--from",
            "en",
            "--to",
            "kmr",
            "--json",
            "Further deliveries to Kirkuk are planned for the summer.",
        ],
    );
    let body: Value = serde_json::from_str(&stdout(&s)).unwrap();
    assert!(
        body["segments"][0]["matches"][0]["target"]
            .as_str()
            .unwrap()
            .contains("havînê"),
        "{body}"
    );
    // The single-statement form reports nothing new for the same texts.
    let again = cli(
        &data,
        &[
            "import",
            "statement",
            "--id",
            "duhok-2022",
            "--text",
            &format!("en={}", fixture("statement-en.txt").display()),
            "--text",
            &format!("ar={}", fixture("statement-ar.txt").display()),
        ],
    );
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("duhok-2022:"), "{}", stdout(&again));
}

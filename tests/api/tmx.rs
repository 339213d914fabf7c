use std::collections::BTreeMap;

use werger::core::tmx::{decoded, Limits, TmxReader};
use werger::core::unit::Unit;

use super::support::*;

/// The units of a TMX file, keyed by tuid, with the attributes Werger adds on export
/// (`creationdate`, `changedate`) left out of the comparison.
fn units_of(bytes: &[u8]) -> BTreeMap<String, Unit> {
    let mut reader = TmxReader::new(decoded(bytes), Limits::default()).expect("valid TMX");
    let mut out = BTreeMap::new();
    while let Some(parsed) = reader.next_unit().expect("valid TMX") {
        let mut unit = parsed.unit;
        if unit.variants.len() < 2 {
            continue;
        }
        unit.meta
            .attrs
            .retain(|(k, _)| k != "creationdate" && k != "changedate");
        unit.variants.sort_by_key(|v| v.lang);
        out.insert(unit.external_id.clone().expect("tuid"), unit);
    }
    out
}

#[test]
fn tmx_round_trip_keeps_every_unit_inline_code_and_property() {
    let original = std::fs::read(fixture("tricky-utf16.tmx")).unwrap();
    let expected = units_of(&original);
    assert_eq!(
        expected.len(),
        3,
        "the fixture has three multilingual units"
    );

    // CLI: import the UTF-16 file, export it.
    let a = tempfile::tempdir().unwrap();
    let import = cli(
        a.path(),
        &[
            "import",
            "tmx",
            fixture("tricky-utf16.tmx").to_str().unwrap(),
        ],
    );
    assert!(import.status.success(), "{}", stderr(&import));
    let report = stdout(&import);
    assert!(report.contains("3 added"), "{report}");
    assert!(
        report.contains("\"ku\" read as kmr"),
        "the bare ku is resolved by script and reported: {report}"
    );
    assert!(
        report.contains("\"fr\""),
        "the unsupported variant is reported: {report}"
    );
    let exported_path = a.path().join("out.tmx");
    let export = cli(
        a.path(),
        &["export", "tmx", "-o", exported_path.to_str().unwrap()],
    );
    assert!(export.status.success(), "{}", stderr(&export));
    let exported = std::fs::read(&exported_path).unwrap();
    let first = units_of(&exported);
    assert_eq!(
        first, expected,
        "export keeps variants, inline markup, regions, props and notes"
    );
    let text = String::from_utf8(exported.clone()).unwrap();
    assert!(
        text.contains(r#"<bpt i="1" x="1">&lt;b&gt;</bpt>"#),
        "inline codes written back verbatim"
    );
    assert!(
        text.contains(r#"xml:lang="kmr""#) && !text.contains(r#"xml:lang="ku""#),
        "canonical tags on export"
    );

    // HTTP: import the export into a second memory, export again: the same units.
    let b = tempfile::tempdir().unwrap();
    let server = Server::start(b.path(), &[]);
    let (status, report) = send(
        "POST",
        &server.url("/api/v1/import/tmx?name=round.tmx"),
        exported.as_slice(),
        &[("Content-Type", "application/xml")],
    );
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["added"], 3);
    let (status, again) = get_bytes(&server.url("/api/v1/export/tmx"));
    assert_eq!(status, 200);
    assert_eq!(units_of(&again), expected);

    // Importing the same file again adds nothing.
    let (_, report) = send(
        "POST",
        &server.url("/api/v1/import/tmx"),
        exported.as_slice(),
        &[],
    );
    assert_eq!(
        (report["added"].as_u64(), report["duplicates"].as_u64()),
        (Some(0), Some(3)),
        "{report}"
    );

    // Inline codes are ignored for matching.
    let (_, body) = server.post(
        "/api/v1/suggest",
        &serde_json::json!({"source_lang": "en", "target_lang": "ckb", "text": "The Coalition visited the JCCC in Erbil on February 17, 2021."}),
    );
    assert_eq!(body["segments"][0]["matches"][0]["score"], 100, "{body}");

    // A language filter on export.
    let (_, filtered) = get_bytes(&server.url("/api/v1/export/tmx?langs=en,kmr"));
    let filtered = units_of(&filtered);
    assert_eq!(filtered.len(), 2, "units with both en and kmr");
    assert!(filtered.values().all(|u| u
        .variants
        .iter()
        .all(|v| ["en", "kmr"].contains(&v.lang.code()))));
}

#[test]
fn a_malformed_file_is_rejected_with_its_position_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let broken = std::fs::read(fixture("broken.tmx")).unwrap();
    let (status, body) = send(
        "POST",
        &server.url("/api/v1/import/tmx"),
        broken.as_slice(),
        &[("Accept-Language", "kmr")],
    );
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "tmx_invalid");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains('6'), "line 6 is named: {message}");
    let (_, ready) = server.get("/readyz");
    assert_eq!(
        ready["units"], 0,
        "the valid first unit was not kept either"
    );
    // Nor did the index keep it: the import fed the index as it went, and rolled that back.
    let (_, found) = server.get("/api/v1/concordance?q=fine&lang=en&target_lang=ar");
    assert_eq!(found["results"], serde_json::json!([]), "{found}");

    // Entity expansion is refused, not evaluated.
    let bomb = r#"<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&b;</seg></tuv><tuv xml:lang="ar"><seg>x</seg></tuv></tu></body></tmx>"#;
    let (status, body) = send("POST", &server.url("/api/v1/import/tmx"), bomb, &[]);
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("tmx_invalid")),
        "{body}"
    );

    // The CLI says the same, localized by LANG, with a failing exit status.
    let out = std::process::Command::new(BIN)
        .args([
            "--data-dir",
            dir.path().join("cli").to_str().unwrap(),
            "import",
            "tmx",
            fixture("broken.tmx").to_str().unwrap(),
        ])
        .env("LANG", "ar_IQ.UTF-8")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("tmx_invalid") && stderr(&out).contains('6'),
        "{}",
        stderr(&out)
    );
    // The index and the database agree on nothing being there.
    let check = cli(&dir.path().join("cli"), &["check"]);
    assert!(check.status.success(), "{}", stdout(&check));
    assert!(stdout(&check).contains("0 indexed"), "{}", stdout(&check));
}

#[test]
fn text_in_another_language_than_its_label_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let tmx = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" creationtoolversion="1"/><body>
<tu tuid="wrong-1"><tuv xml:lang="en"><seg>The Coalition will keep working with the Peshmerga in Erbil.</seg></tuv>
<tuv xml:lang="ar"><seg>هاوپەیمانی بەردەوام دەبێت لە کارکردن لەگەڵ هێزەکانی پێشمەرگە لە هەولێر.</seg></tuv></tu>
<tu tuid="right-2"><tuv xml:lang="en"><seg>The Coalition met the Iraqi Security Forces in Baghdad.</seg></tuv>
<tuv xml:lang="ar"><seg>التقى التحالف بقوات الأمن العراقية في بغداد.</seg></tuv></tu>
<tu tuid="wrong-3"><tuv xml:lang="ckb"><seg>وقال المتحدث باسم التحالف إن التنسيق مستمر مع قوات البيشمركة في أربيل.</seg></tuv>
<tuv xml:lang="en"><seg>The Coalition spokesman said coordination with the Peshmerga continues in Erbil.</seg></tuv></tu>
</body></tmx>"#;
    let (status, report) = send("POST", &server.url("/api/v1/import/tmx"), tmx, &[]);
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["added"], 3, "stored as labelled");
    let warnings = report["language_warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 2, "{report}");
    assert!(warnings
        .iter()
        .any(|w| w["labelled"] == "ar" && w["detected"] == "ckb" && w["example"] == "wrong-1"));
    assert!(warnings
        .iter()
        .any(|w| w["labelled"] == "ckb" && w["detected"] == "ar" && w["example"] == "wrong-3"));
}

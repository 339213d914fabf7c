use serde_json::{json, Value};

use super::support::*;

fn versions() -> Value {
    let read = |name: &str| std::fs::read_to_string(fixture(name)).unwrap();
    json!({
        "en": read("statement-en.txt"),
        "ar": read("statement-ar.txt"),
        "ckb": read("statement-ckb.txt"),
        "kmr": read("statement-kmr.txt"),
    })
}

#[test]
fn a_four_language_statement_becomes_units_that_answer_an_edited_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let body = json!({"id": "coalition-2022-04-09-duhok-supplies", "date": "2022-04-09", "versions": versions()});
    let (status, report) = server.post("/api/v1/statements", &body);
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["sentences"]["en"], 7, "{report}");
    assert_eq!(
        report["sentences"]["ar"], 6,
        "the Arabic version merged two sentences: {report}"
    );
    let added = report["units_added"].as_u64().unwrap();
    // Six blocks of English sentences (the Arabic merge makes one block of two), plus a
    // sentence-level unit for each of those two in the languages that kept them apart.
    assert_eq!(added, 8, "{report}");
    assert!(report["alignment"]["ar"]["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["confidence"].is_number()));

    // A new release reuses a sentence with another number and city: the memory answers in
    // every language, the Arabic from the merged unit.
    for (target, needle) in [
        ("ar", "برنامج"),
        ("ckb", "بەرنامەیەک"),
        ("kmr", "bernameyeke"),
    ] {
        let (_, s) = server.post(
            "/api/v1/suggest",
            &json!({"source_lang": "en", "target_lang": target,
            "text": "The delivery is part of a program worth 6 million dollars."}),
        );
        let top = &s["segments"][0]["matches"][0];
        assert!(top["score"].as_u64().unwrap() >= 90, "{s}");
        assert!(
            top["target"].as_str().unwrap().contains(needle),
            "{target}: {s}"
        );
        assert_eq!(
            top["origin"]["source"],
            "statement:coalition-2022-04-09-duhok-supplies"
        );
    }
    let (_, s) = server.post("/api/v1/suggest", &json!({"source_lang": "en", "target_lang": "ckb",
        "text": "The Coalition delivered 15 tons of medical supplies to the Directorate of Health in Erbil on May 2, 2022. The supplies include ventilators, oxygen concentrators and protective equipment."}));
    assert_eq!(s["segments"][1]["matches"][0]["score"], 100, "{s}");
    assert!(
        s["segments"][1]["matches"][0]["target"]
            .as_str()
            .unwrap()
            .contains("هەناسەدان"),
        "{s}"
    );
    assert!(
        s["segments"][0]["matches"][0]["target"]
            .as_str()
            .unwrap()
            .contains("١٢ تەن"),
        "{s}"
    );

    // Importing the same statement again adds nothing.
    let (_, again) = server.post("/api/v1/statements", &body);
    assert_eq!(
        (
            again["units_added"].as_u64(),
            again["units_kept"].as_u64(),
            again["units_removed"].as_u64()
        ),
        (Some(0), Some(added), Some(0)),
        "{again}"
    );

    // A corrected Kurmanji version replaces the one unit it changes.
    let mut corrected = versions();
    let kmr = corrected["kmr"]
        .as_str()
        .unwrap()
        .replace("4 mîlyon dolarî", "çar mîlyon dolarî");
    corrected["kmr"] = json!(kmr);
    let (_, fixed) = server.post(
        "/api/v1/statements",
        &json!({"id": "coalition-2022-04-09-duhok-supplies", "versions": corrected}),
    );
    assert_eq!(
        (
            fixed["units_added"].as_u64(),
            fixed["units_removed"].as_u64()
        ),
        (Some(1), Some(1)),
        "{fixed}"
    );
    assert_eq!(server.get("/readyz").1["units"].as_u64(), Some(added));

    let (status, alignment) =
        server.get("/api/v1/statements/coalition-2022-04-09-duhok-supplies/alignment");
    assert_eq!(status, 200);
    assert_eq!(alignment["kmr"]["pivot"], "en");
    assert_eq!(server.get("/api/v1/statements/unknown/alignment").0, 404);

    let (status, bad) = server.post(
        "/api/v1/statements",
        &json!({"id": "x y", "versions": {"en": "a", "ar": "b"}}),
    );
    assert_eq!(
        (status, bad["error"]["code"].as_str()),
        (400, Some("invalid_parameter"))
    );
    let (status, bad) = server.post(
        "/api/v1/statements",
        &json!({"id": "one", "versions": {"en": "Only English."}}),
    );
    assert_eq!(
        (status, bad["error"]["code"].as_str()),
        (400, Some("invalid_parameter"))
    );

    drop(server);
    let check = cli(dir.path(), &["check"]);
    assert!(check.status.success(), "{}", stdout(&check));
}

#[test]
fn html_versions_keep_their_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let body = json!({"id": "html-1", "format": "html", "versions": {
        "en": "<h1>Aid to Mosul</h1><p>The Coalition delivered <b>500</b> food baskets to families in Mosul.</p><p>More aid will follow next month.</p>",
        "ckb": "<h1>هاوکاری بۆ موسڵ</h1><p>هاوپەیمانی <b>٥٠٠</b> سەبەتەی خۆراکی ڕادەستی خێزانەکان لە موسڵ کرد.</p><p>مانگی داهاتوو هاوکاریی زیاتر دێت.</p>"}});
    let (status, report) = server.post("/api/v1/statements", &body);
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (
            report["sentences"]["en"].as_u64(),
            report["units_added"].as_u64()
        ),
        (Some(3), Some(3)),
        "{report}"
    );
    let pairs = report["alignment"]["ckb"]["pairs"].as_array().unwrap();
    assert_eq!(
        pairs[1]["source"],
        "The Coalition delivered 500 food baskets to families in Mosul."
    );
    assert!(pairs[1]["target"].as_str().unwrap().contains("٥٠٠"));
}

#[test]
fn a_reviewer_corrects_an_alignment_and_the_units_follow() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let body = json!({"id": "fix-1", "versions": {
        "en": "The Coalition met the ISF in Erbil. The talks covered training. Both sides agreed to meet again.",
        "ar": "التقى التحالف بقوات الأمن العراقية في أربيل. تناولت المحادثات التدريب. واتفق الطرفان على الاجتماع مجدداً."}});
    let (status, report) = server.post("/api/v1/statements", &body);
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["units_added"], 3);
    // The reviewer decides the last two sentences are one unit.
    let url = server.url("/api/v1/statements/fix-1/alignment");
    let fix = json!({"lang": "ar", "pairs": [{"source": [0, 1], "target": [0, 1]}, {"source": [1, 3], "target": [1, 3]}]});
    let (status, fixed) = send(
        "PATCH",
        &url,
        fix.to_string().as_str(),
        &[("Content-Type", "application/json")],
    );
    assert_eq!(status, 200, "{fixed}");
    assert_eq!(
        (
            fixed["units_kept"].as_u64(),
            fixed["units_added"].as_u64(),
            fixed["units_removed"].as_u64()
        ),
        (Some(1), Some(1), Some(2)),
        "{fixed}"
    );
    let pairs = fixed["alignment"]["ar"]["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 2);
    assert_eq!(pairs[1]["confidence"], 1.0, "a reviewer's decision");
    assert_eq!(server.get("/readyz").1["units"], 2);

    // Groups that do not cover the sentences in order are refused.
    let bad = json!({"lang": "ar", "pairs": [{"source": [0, 2], "target": [0, 1]}]});
    let (status, body) = send(
        "PATCH",
        &url,
        bad.to_string().as_str(),
        &[("Content-Type", "application/json")],
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_parameter")),
        "{body}"
    );
    let (status, _) = send(
        "PATCH",
        &server.url("/api/v1/statements/none/alignment"),
        fix.to_string().as_str(),
        &[("Content-Type", "application/json")],
    );
    assert_eq!(status, 404);
}

use serde_json::json;

use super::support::*;

#[test]
fn suggest_returns_scored_matches_with_diff_and_origin_from_demo_data() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo"]);
    let (status, body) = server.post(
        "/api/v1/suggest",
        &json!({"source_lang": "en", "target_lang": "ar",
                "text": "The Coalition delivered 30 armoured vehicles to the Peshmerga Security Forces in Erbil on May 4, 2021."}),
    );
    assert_eq!(status, 200, "{body}");
    let segments = body["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 1);
    let matches = segments[0]["matches"].as_array().unwrap();
    assert!(matches.len() >= 2, "{body}");
    let top = &matches[0];
    let score = top["score"].as_u64().unwrap();
    assert!(
        (80..100).contains(&score),
        "an edited sentence is a fuzzy match: {score}"
    );
    assert!(
        top["source"]
            .as_str()
            .unwrap()
            .contains("25 armoured vehicles"),
        "{top}"
    );
    assert!(top["target"].as_str().unwrap().contains("التحالف"), "{top}");
    assert!(top["tu_id"].as_i64().unwrap() > 0);
    let diff = top["diff"].as_array().unwrap();
    assert!(
        diff.contains(&json!({"op": "delete", "text": "25"})),
        "{diff:?}"
    );
    assert!(
        diff.contains(&json!({"op": "insert", "text": "30"})),
        "{diff:?}"
    );
    assert!(top["origin"]["source"]
        .as_str()
        .unwrap()
        .starts_with("statement:"));
    // Ranked by score.
    let scores: Vec<u64> = matches
        .iter()
        .map(|m| m["score"].as_u64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn any_language_can_be_the_source_and_text_is_split_into_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo"]);
    // Take a real Sorani sentence from the memory, then ask ckb → kmr with it and a second one.
    let (_, found) = server.get("/api/v1/concordance?q=armoured&lang=en&target_lang=ckb&limit=1");
    let ckb = found["results"][0]["targets"][0]["text"]
        .as_str()
        .unwrap()
        .to_string();
    let text = format!("{ckb} ئەمە ڕستەیەکی تازەیە و هیچ پەیوەندی نییە.");
    let (status, body) = server.post(
        "/api/v1/suggest",
        &json!({"source_lang": "ckb", "target_lang": "kmr", "text": text, "min_score": 90}),
    );
    assert_eq!(status, 200, "{body}");
    let segments = body["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 2, "{body}");
    let exact = &segments[0]["matches"][0];
    assert_eq!(
        exact["score"], 100,
        "the same sentence is a 100% match: {body}"
    );
    assert_eq!(exact["source"].as_str().unwrap(), ckb);
    assert!(
        exact["target"].as_str().unwrap().contains("Hevpeyman"),
        "{exact}"
    );
    assert!(
        segments[1]["matches"].as_array().unwrap().is_empty(),
        "{body}"
    );
}

#[test]
fn concordance_highlights_the_phrase_and_shows_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo"]);
    let (status, body) =
        server.get("/api/v1/concordance?q=peshmerga%20security%20forces&lang=en&target_lang=kmr");
    assert_eq!(status, 200, "{body}");
    let results = body["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let pieces = r["source"]["pieces"].as_array().unwrap();
        let hit: Vec<&str> = pieces
            .iter()
            .filter(|p| p["hit"] == true)
            .map(|p| p["text"].as_str().unwrap())
            .collect();
        assert!(!hit.is_empty(), "{r}");
        assert!(
            hit.iter()
                .all(|h| h.eq_ignore_ascii_case("Peshmerga Security Forces")),
            "{hit:?}"
        );
        let joined: String = pieces.iter().map(|p| p["text"].as_str().unwrap()).collect();
        assert_eq!(joined, r["source"]["text"].as_str().unwrap());
        assert_eq!(r["targets"][0]["lang"], "kmr");
        assert!(!r["targets"][0]["text"].as_str().unwrap().is_empty());
    }
}

#[test]
fn health_readiness_and_api_description() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    assert_eq!(server.get("/healthz").0, 200);
    let (status, ready) = server.get("/readyz");
    assert_eq!(status, 200);
    assert_eq!(ready["units"], 0, "a fresh start with no data works");
    let (status, doc) = server.get("/api/v1/openapi.json");
    assert_eq!(status, 200);
    assert!(doc["paths"]["/api/v1/suggest"]["post"].is_object());
    // An empty memory answers with no matches, not an error.
    let (status, body) = server.post(
        "/api/v1/suggest",
        &json!({"source_lang": "en", "target_lang": "ar", "text": "Nothing here."}),
    );
    assert_eq!(status, 200);
    assert!(body["segments"][0]["matches"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn units_sharing_a_source_text_are_all_suggested_newest_first() {
    // A standard sentence translated three times (the index groups identical texts so they
    // do not crowd out other wordings; every unit must still be listed).
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let en = "The Ministry of Peshmerga thanks the Coalition for its continued support.";
    let translations = [
        "تشكر وزارة البيشمركة التحالف على دعمه المتواصل.",
        "وزارة البيشمركة تشكر التحالف على دعمه المستمر.",
        "تتقدم وزارة البيشمركة بالشكر إلى التحالف لدعمه المتواصل.",
    ];
    let mut ids = Vec::new();
    for ar in translations {
        let (status, unit) =
            server.post("/api/v1/units", &json!({"variants": {"en": en, "ar": ar}}));
        assert_eq!(status, 201, "{unit}");
        ids.push(unit["id"].as_i64().unwrap());
        // Distinct creation times, so recency decides the order.
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let (status, other) = server.post(
        "/api/v1/units",
        &json!({"variants": {
            "en": "The Ministry of Peshmerga thanks the Coalition for its generous support.",
            "ar": "تشكر وزارة البيشمركة التحالف على دعمه السخي."}}),
    );
    assert_eq!(status, 201, "{other}");
    let (status, body) = server.post(
        "/api/v1/suggest",
        &json!({"source_lang": "en", "target_lang": "ar", "text": en, "limit": 5}),
    );
    assert_eq!(status, 200, "{body}");
    let matches = body["segments"][0]["matches"].as_array().unwrap();
    let listed: Vec<(i64, u64)> = matches
        .iter()
        .map(|m| (m["tu_id"].as_i64().unwrap(), m["score"].as_u64().unwrap()))
        .collect();
    let exact: Vec<i64> = ids.iter().rev().copied().collect();
    assert_eq!(
        listed.iter().take(3).map(|m| m.0).collect::<Vec<_>>(),
        exact,
        "all three exact matches, newest first: {body}"
    );
    assert!(listed.iter().take(3).all(|m| m.1 == 100), "{body}");
    assert_eq!(listed.get(3).map(|m| m.0), other["id"].as_i64(), "{body}");
    assert!(listed[3].1 < 100, "{body}");

    // Recency is the last change, not the creation: the oldest unit, corrected now, is the
    // newest translation. A deleted unit is no longer listed and the others move up.
    std::thread::sleep(std::time::Duration::from_millis(5));
    let corrected = "تشكر وزارة البيشمركة التحالف الدولي على دعمه المتواصل.";
    let (status, patched) = send(
        "PATCH",
        &server.url(&format!("/api/v1/units/{}", ids[0])),
        &json!({"variants": {"ar": corrected}}).to_string(),
        &[("Content-Type", "application/json")],
    );
    assert_eq!(status, 200, "{patched}");
    assert_eq!(
        delete(&server.url(&format!("/api/v1/units/{}", ids[2]))).0,
        204
    );
    let (_, body) = server.post(
        "/api/v1/suggest",
        &json!({"source_lang": "en", "target_lang": "ar", "text": en, "limit": 5}),
    );
    let matches = body["segments"][0]["matches"].as_array().unwrap();
    let listed: Vec<i64> = matches
        .iter()
        .map(|m| m["tu_id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        listed,
        vec![ids[0], ids[1], other["id"].as_i64().unwrap()],
        "{body}"
    );
    assert_eq!(matches[0]["target"], corrected, "{body}");
}

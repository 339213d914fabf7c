use serde_json::json;

use super::support::*;

#[test]
fn units_crud_is_reflected_in_suggestions_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let en = "The Coalition handed over 12 ambulances to the Ministry of Health in Kirkuk.";
    let ar = "سلّم التحالف 12 سيارة إسعاف إلى وزارة الصحة في كركوك.";
    let (status, unit) = server.post(
        "/api/v1/units",
        &json!({"variants": {"en": en, "ar-IQ": ar}}),
    );
    assert_eq!(status, 201, "{unit}");
    let id = unit["id"].as_i64().unwrap();
    assert_eq!(unit["variants"]["ar"]["region"], "IQ");
    assert_eq!(unit["origin"], "api");

    // The same wording again is not a new unit.
    let (status, again) = server.post(
        "/api/v1/units",
        &json!({"variants": {"en": en, "ar-IQ": ar}}),
    );
    assert_eq!((status, again["id"].as_i64()), (200, Some(id)));

    let suggest = |text: &str, to: &str| {
        server
            .post(
                "/api/v1/suggest",
                &json!({"source_lang": "en", "target_lang": to, "text": text}),
            )
            .1
    };
    let body = suggest(
        "The Coalition handed over 14 ambulances to the Ministry of Health in Kirkuk.",
        "ar",
    );
    assert_eq!(
        body["segments"][0]["matches"][0]["tu_id"].as_i64(),
        Some(id),
        "{body}"
    );
    assert_eq!(body["segments"][0]["matches"][0]["target"], ar);

    // Add Sorani, drop Arabic.
    let ckb = "هاوپەیمانی 12 ئەمبولانسی ڕادەستی وەزارەتی تەندروستی کرد لە کەرکووک.";
    let (status, patched) = send(
        "PATCH",
        &server.url(&format!("/api/v1/units/{id}")),
        &json!({"variants": {"ckb": ckb, "ar": null}}).to_string(),
        &[("Content-Type", "application/json")],
    );
    assert_eq!(status, 200, "{patched}");
    assert!(patched["variants"]["ar"].is_null() && patched["variants"]["ckb"]["text"] == ckb);
    let (_, read) = server.get(&format!("/api/v1/units/{id}"));
    assert_eq!(read["variants"]["ckb"]["text"], ckb);
    assert!(suggest(en, "ar")["segments"][0]["matches"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        suggest(en, "ckb")["segments"][0]["matches"][0]["score"],
        100
    );

    // Removing every language is refused; deleting works once.
    let (status, body) = send(
        "PATCH",
        &server.url(&format!("/api/v1/units/{id}")),
        &json!({"variants": {"ckb": null, "en": null}}).to_string(),
        &[("Content-Type", "application/json")],
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("unit_empty"))
    );
    assert_eq!(delete(&server.url(&format!("/api/v1/units/{id}"))).0, 204);
    assert_eq!(delete(&server.url(&format!("/api/v1/units/{id}"))).0, 404);
    assert_eq!(server.get(&format!("/api/v1/units/{id}")).0, 404);
    assert!(suggest(en, "ckb")["segments"][0]["matches"]
        .as_array()
        .unwrap()
        .is_empty());

    let (status, body) = server.post(
        "/api/v1/units",
        &json!({"variants": {"en": "a", "en-US": "b"}}),
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("duplicate_language"))
    );
    let (status, body) = server.post("/api/v1/units", &json!({"variants": {}}));
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("unit_empty"))
    );

    drop(server);
    let check = cli(dir.path(), &["check"]);
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
}

use serde_json::{json, Value};

use super::support::*;

fn error_of(body: &Value) -> (&str, &str) {
    (
        body["error"]["code"].as_str().unwrap_or(""),
        body["error"]["message"].as_str().unwrap_or(""),
    )
}

#[test]
fn bad_requests_get_stable_codes_and_localized_messages() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let url = server.url("/api/v1/suggest");
    let post = |body: &str, lang: &str| {
        send(
            "POST",
            &url,
            body,
            &[
                ("Content-Type", "application/json"),
                ("Accept-Language", lang),
            ],
        )
    };

    let (status, body) = post(
        r#"{"source_lang":"fr","target_lang":"ar","text":"x"}"#,
        "en",
    );
    assert_eq!(status, 400);
    let (code, message) = error_of(&body);
    assert_eq!(code, "unsupported_language");
    assert!(
        message.contains("fr") && message.contains("ckb") && message.contains("kmr"),
        "{message}"
    );

    let (_, ar) = post(
        r#"{"source_lang":"fr","target_lang":"ar","text":"x"}"#,
        "ar-IQ,en;q=0.5",
    );
    let (_, ckb) = post(
        r#"{"source_lang":"fr","target_lang":"ar","text":"x"}"#,
        "ckb",
    );
    let (_, kmr) = post(
        r#"{"source_lang":"fr","target_lang":"ar","text":"x"}"#,
        "kmr",
    );
    let messages: Vec<&str> = [&body, &ar, &ckb, &kmr]
        .iter()
        .map(|b| error_of(b).1)
        .collect();
    for (i, a) in messages.iter().enumerate() {
        for b in &messages[i + 1..] {
            assert_ne!(a, b, "each locale has its own message");
        }
    }
    assert!(error_of(&ar).1.contains("اللغة"), "{}", error_of(&ar).1);

    let (status, body) = post(
        r#"{"source_lang":"ku","target_lang":"ar","text":"x"}"#,
        "en",
    );
    assert_eq!((status, error_of(&body).0), (400, "ambiguous_language"));
    assert!(error_of(&body).1.contains("ckb") && error_of(&body).1.contains("kmr"));

    let (status, body) = post(
        r#"{"source_lang":"en","target_lang":"en-GB","text":"x"}"#,
        "en",
    );
    assert_eq!((status, error_of(&body).0), (400, "same_language"));

    let (status, body) = post(
        r#"{"source_lang":"en","target_lang":"ar","text":"   "}"#,
        "en",
    );
    assert_eq!((status, error_of(&body).0), (400, "empty_text"));

    let huge =
        json!({"source_lang": "en", "target_lang": "ar", "text": "word ".repeat(5000)}).to_string();
    let (status, body) = post(&huge, "en");
    assert_eq!((status, error_of(&body).0), (400, "text_too_long"));

    let (status, body) = post("{not json", "en");
    assert_eq!((status, error_of(&body).0), (400, "invalid_json"));

    let (status, body) = post(r#"{"source_lang":"en"}"#, "en");
    assert_eq!((status, error_of(&body).0), (400, "invalid_request"));

    let (status, body) = post(
        r#"{"source_lang":"en","target_lang":"ar","text":"x","limit":0}"#,
        "en",
    );
    assert_eq!((status, error_of(&body).0), (400, "invalid_parameter"));

    let (status, body) = server.get("/api/v1/nothing-here");
    assert_eq!((status, error_of(&body).0), (404, "not_found"));

    let (status, body) = send(
        "PUT",
        &server.url("/api/v1/units/1"),
        "{}",
        &[("Content-Type", "application/json")],
    );
    assert_eq!((status, error_of(&body).0), (405, "method_not_allowed"));

    let (status, body) = server.get("/api/v1/units/abc");
    assert_eq!((status, error_of(&body).0), (400, "invalid_parameter"));

    let (status, body) = server.get("/api/v1/concordance?lang=en");
    assert_eq!((status, error_of(&body).0), (400, "invalid_request"));
}

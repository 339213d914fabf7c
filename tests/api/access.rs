use serde_json::json;

use super::support::*;

#[test]
fn api_keys_guard_the_api_and_cors_lets_other_origins_call_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--api-key", "k-one,k-two"]);
    let body =
        json!({"source_lang": "en", "target_lang": "ar", "text": "The Coalition met."}).to_string();

    // No key, a wrong key: 401 with the stable code, localized.
    let (status, err) = send(
        "POST",
        &server.url("/api/v1/suggest"),
        body.as_str(),
        &[
            ("Content-Type", "application/json"),
            ("Accept-Language", "ar"),
        ],
    );
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (401, Some("unauthorized")),
        "{err}"
    );
    assert!(
        err["error"]["message"].as_str().unwrap().contains("مفتاح"),
        "{err}"
    );
    let (status, _) = send(
        "POST",
        &server.url("/api/v1/suggest"),
        body.as_str(),
        &[("Content-Type", "application/json"), ("X-Api-Key", "k-on")],
    );
    assert_eq!(status, 401);

    // Either key, in either header, from another origin: allowed, and readable cross-origin.
    for (name, value) in [("X-Api-Key", "k-one"), ("Authorization", "Bearer k-two")] {
        let response = raw_request(
            "POST",
            &server.url("/api/v1/suggest"),
            Some(&body),
            &[
                ("Content-Type", "application/json"),
                (name, value),
                ("Origin", "https://cms.example"),
            ],
        );
        assert_eq!(response.status, 200, "{name}");
        assert_eq!(response.header("access-control-allow-origin"), Some("*"));
    }

    // The preflight a browser sends before a cross-origin POST with a key header.
    let preflight = raw_request(
        "OPTIONS",
        &server.url("/api/v1/units"),
        None,
        &[
            ("Origin", "https://cms.example"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type, x-api-key"),
        ],
    );
    assert_eq!(preflight.status, 204);
    let allowed = preflight
        .header("access-control-allow-headers")
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        allowed.contains("x-api-key") && allowed.contains("content-type"),
        "{allowed}"
    );

    // What a client needs before it has a key stays public; health too.
    assert_eq!(server.get("/api/v1/openapi.json").0, 200);
    assert_eq!(server.get("/api/v1/messages/ckb").0, 200);
    assert_eq!(server.get("/healthz").0, 200);
}

#[test]
fn without_keys_the_api_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let (status, _) = server.post(
        "/api/v1/suggest",
        &json!({"source_lang": "en", "target_lang": "ar", "text": "The Coalition met."}),
    );
    assert_eq!(status, 200);
}

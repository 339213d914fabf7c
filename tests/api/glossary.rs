use serde_json::{json, Value};

use super::support::*;

fn import(server: &Server, path: &str, file: &str) -> (u16, Value) {
    let bytes = std::fs::read(fixture(file)).unwrap();
    send("POST", &server.url(path), bytes.as_slice(), &[])
}

#[test]
fn glossary_crud_history_lookup_and_qa_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);

    let (status, report) = import(&server, "/api/v1/glossary/import/tbx", "glossary.tbx");
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["created"], 2, "{report}");
    assert_eq!(report["skipped_terms"][0]["tag"], "de", "{report}");

    // The TBX conceptEntry id is kept; a bare `ku` in Latin script is Kurmanji.
    let (status, psf) = server.get("/api/v1/glossary/concepts/psf");
    assert_eq!(status, 200, "{psf}");
    assert_eq!(psf["subject"], "security");
    let kmr: Vec<&Value> = psf["terms"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["lang"] == "kmr")
        .collect();
    assert_eq!(kmr[0]["text"], "Hêzên Pêşmerge");

    // Lookup finds an inflected, clitic-prefixed Arabic form, with character offsets.
    let text = "وصلت لقوات البيشمركة المساعدات";
    let (status, body) = server.post(
        "/api/v1/glossary/lookup",
        &json!({"lang": "ar", "text": text, "targets": ["en"]}),
    );
    assert_eq!(status, 200, "{body}");
    let hit = &body["terms"][0];
    assert_eq!(hit["concept_id"], "psf", "{body}");
    assert_eq!(hit["text"], "لقوات البيشمركة");
    let chars: Vec<char> = text.chars().collect();
    let (s, e) = (
        hit["start"].as_u64().unwrap() as usize,
        hit["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(chars[s..e].iter().collect::<String>(), "لقوات البيشمركة");
    assert_eq!(
        hit["targets"],
        json!([{"lang": "en", "term": "Peshmerga Security Forces", "status": "preferred"}])
    );

    // QA: a forbidden Arabic term is flagged with its replacement; the approved one is missing.
    let (status, qa) = server.post(
        "/api/v1/qa",
        &json!({"source_lang": "en", "target_lang": "ar",
                "source": "Daesh attacked the village.",
                "target": "هاجمت الدولة الإسلامية القرية."}),
    );
    assert_eq!(status, 200, "{qa}");
    let kinds: Vec<&str> = qa["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["missing_term", "forbidden_term"], "{qa}");
    assert_eq!(qa["problems"][1]["text"], "الدولة الإسلامية");
    assert_eq!(qa["problems"][1]["suggestions"], json!(["داعش"]));
    let (_, clean) = server.post(
        "/api/v1/qa",
        &json!({"source_lang": "en", "target_lang": "ar",
                "source": "Daesh attacked the village.",
                "target": "هاجم داعش القرية."}),
    );
    assert_eq!(clean["problems"], json!([]), "{clean}");

    // Create, edit (as a named maintainer), see the history, delete.
    let (status, created) = server.post(
        "/api/v1/glossary/concepts",
        &json!({"subject": "places", "terms": [
            {"lang": "en", "text": "Kurdistan Region"},
            {"lang": "ckb", "text": "هەرێمی کوردستان", "status": "preferred"}]}),
    );
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let (status, updated) = send(
        "PUT",
        &server.url(&format!("/api/v1/glossary/concepts/{id}")),
        json!({"subject": "places", "terms": [
            {"lang": "en", "text": "Kurdistan Region"},
            {"lang": "ckb", "text": "هەرێمی کوردستان"},
            {"lang": "kmr", "text": "Herêma Kurdistanê"}]})
        .to_string(),
        // شیلان, percent-encoded as the glossary page sends names in other scripts.
        &[
            ("Content-Type", "application/json"),
            ("X-Werger-User", "%D8%B4%DB%8C%D9%84%D8%A7%D9%86"),
        ],
    );
    assert_eq!(status, 200, "{updated}");
    let (_, history) = server.get(&format!("/api/v1/glossary/concepts/{id}/history"));
    let history = history["history"].as_array().unwrap().clone();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[1]["who"].as_str(), history[1]["action"].as_str()),
        (Some("شیلان"), Some("update"))
    );
    assert!(history[1]["before"]["terms"].as_array().unwrap().len() == 2);

    // The new term is recognized at once, inside suggestions too.
    let (_, suggest) = server.post(
        "/api/v1/suggest",
        &json!({"source_lang": "kmr", "target_lang": "en", "text": "Li Herêma Kurdistanê baran barî."}),
    );
    assert_eq!(
        suggest["segments"][0]["terms"][0]["concept_id"],
        id.as_str(),
        "{suggest}"
    );
    assert_eq!(
        suggest["segments"][0]["terms"][0]["targets"][0]["term"],
        "Kurdistan Region"
    );

    // Search normalizes: the Sorani term typed with Arabic-keyboard letters.
    let (_, found) =
        server.get("/api/v1/glossary/concepts?q=%D9%83%D9%88%D8%B1%D8%AF%D8%B3%D8%AA%D8%A7%D9%86");
    assert_eq!(found["total"], 1, "{found}");

    let (status, _) = delete(&server.url(&format!("/api/v1/glossary/concepts/{id}")));
    assert_eq!(status, 204);
    let (status, missing) = server.get(&format!("/api/v1/glossary/concepts/{id}"));
    assert_eq!(
        (status, missing["error"]["code"].as_str()),
        (404, Some("concept_not_found"))
    );
}

#[test]
fn bad_glossary_files_and_concepts_are_rejected_whole() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    // The second concept is broken XML: nothing of the first may stay.
    let broken = r#"<?xml version="1.0"?><tbx type="TBX-Basic" style="dca" xml:lang="en"><text><body>
<conceptEntry id="ok"><langSec xml:lang="en"><termSec><term>Coalition</term></termSec></langSec></conceptEntry>
<conceptEntry id="bad"><langSec xml:lang="en"><termSec><term>Erbil</termSec></langSec></conceptEntry>
</body></text></tbx>"#;
    let (status, body) = send(
        "POST",
        &server.url("/api/v1/glossary/import/tbx"),
        broken,
        &[("Accept-Language", "ckb")],
    );
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "glossary_invalid");
    // Fluent isolates the arguments of right-to-left messages (U+2068 … U+2069).
    let message: String = body["error"]["message"]
        .as_str()
        .unwrap()
        .chars()
        .filter(|c| !matches!(c, '\u{2068}' | '\u{2069}'))
        .collect();
    assert!(message.contains("دێڕی 3،"), "{body}");
    let (_, list) = server.get("/api/v1/glossary/concepts");
    assert_eq!(list["total"], 0, "{list}");

    let (status, body) = server.post(
        "/api/v1/glossary/concepts",
        &json!({"terms": [{"lang": "en", "text": "Erbil", "status": "approvedish"}]}),
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_parameter")),
        "{body}"
    );
    let (status, body) = server.post("/api/v1/glossary/concepts", &json!({"terms": []}));
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("concept_invalid")),
        "{body}"
    );
    let (status, body) = server.post(
        "/api/v1/glossary/concepts",
        &json!({"terms": [{"lang": "fr", "text": "Erbil"}]}),
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("unsupported_language")),
        "{body}"
    );
}

#[test]
fn cli_imports_csv_prints_terms_and_round_trips_tbx() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(
        dir.path(),
        &["import", "csv", fixture("glossary.csv").to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("2 created"), "{}", stdout(&out));

    let text = "Hikûmeta Herêma Kurdistanê û Hevpeymaniyê";
    let out = cli(
        dir.path(),
        &["terms", "--lang", "kmr", "--to", "en", "--json", text],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let terms = body["terms"].as_array().unwrap();
    assert_eq!(terms.len(), 2, "{body}");
    assert_eq!(terms[0]["start"], 0);
    assert_eq!(
        terms[0]["end"],
        "Hikûmeta Herêma Kurdistanê".chars().count()
    );
    assert_eq!(terms[0]["concept_id"], "krg");
    assert_eq!(
        terms[0]["targets"],
        json!([{"lang": "en", "term": "Kurdistan Regional Government", "status": "preferred"}])
    );
    // An inflected form (oblique case -ê) of the single-word term.
    assert_eq!(terms[1]["text"], "Hevpeymaniyê");

    // Export as TBX, import into a fresh directory, export again: the same file.
    let tbx = dir.path().join("out.tbx");
    let out = cli(dir.path(), &["export", "tbx", "-o", tbx.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let other = tempfile::tempdir().unwrap();
    let out = cli(other.path(), &["import", "tbx", tbx.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let again = other.path().join("again.tbx");
    cli(
        other.path(),
        &["export", "tbx", "-o", again.to_str().unwrap()],
    );
    assert_eq!(
        std::fs::read_to_string(&tbx).unwrap(),
        std::fs::read_to_string(&again).unwrap()
    );

    // QA from the CLI: exit status 1 when problems are found.
    let out = cli(
        dir.path(),
        &[
            "qa",
            "--from",
            "en",
            "--to",
            "ckb",
            "The Coalition met.",
            "کۆبوونەوە کرا.",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("هاوپەیمانی"), "{}", stdout(&out));
}

#[test]
fn the_demo_comes_with_a_glossary_its_suggestions_show() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo"]);
    let (status, body) = server.post(
        "/api/v1/suggest",
        &json!({"source_lang": "en", "target_lang": "ckb",
                "text": "The Coalition delivered 31 armoured vehicles to the Peshmerga Security Forces."}),
    );
    assert_eq!(status, 200, "{body}");
    let concepts: Vec<&str> = body["segments"][0]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["concept_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        concepts,
        ["coalition", "armoured-vehicle", "peshmerga-security-forces"],
        "{body}"
    );
    // The deprecated English term is kept with its status, the forbidden Arabic one too.
    let (_, daesh) = server.get("/api/v1/glossary/concepts/daesh");
    let statuses: Vec<(&str, &str)> = daesh["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["text"].as_str().unwrap(), t["status"].as_str().unwrap()))
        .collect();
    assert!(
        statuses.contains(&("ISIS", "deprecated"))
            && statuses.contains(&("الدولة الإسلامية", "forbidden")),
        "{daesh}"
    );
}

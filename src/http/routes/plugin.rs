//! The translator plugin and the demo editor that uses it.
//!
//! * `GET /plugin.js`: `pages/werger.js`, a dependency-free ES module that newsroom editors on
//!   other origins load with `import` (so it is served with `Access-Control-Allow-Origin: *`).
//!   The English `ui-plugin-` messages are embedded in it, for when `/api/v1/messages/{lang}`
//!   cannot be reached.
//! * `GET /[?lang=en|ar|ckb|kmr]`: `pages/demo.html`, an editor page with the plugin attached
//!   to a `<textarea>` and to a `contenteditable`, pre-loaded with the built-in demo statements
//!   (`src/demo/statements.json`), in the chosen or negotiated interface language.

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::pages::{
    dir, escape_html, fill_template, html_page, language_links, page_lang, script_json, ui_messages,
};
use crate::core::lang::Lang;
use crate::i18n::Messages;
use crate::service::demo::demo_file;

const SCRIPT: &str = include_str!("../pages/werger.js");
const TEMPLATE: &str = include_str!("../pages/demo.html");
const STYLE: &str = include_str!("../pages/demo.css");

/// The expression in `werger.js` that the server replaces with the English messages.
const FALLBACK_MARKER: &str = r#"{"__werger_fallback__": true}"#;
/// Messages of the plugin's panel.
const PLUGIN_PREFIX: &str = "ui-plugin-";

/// The plugin as served, with its entity tag.
struct Script {
    body: String,
    etag: String,
}

fn script(messages: &Messages) -> &'static Script {
    static SCRIPT_BODY: OnceLock<Script> = OnceLock::new();
    SCRIPT_BODY.get_or_init(|| {
        let fallback = script_json(&english_plugin_messages(messages));
        let body = SCRIPT.replacen(FALLBACK_MARKER, &fallback, 1);
        let mut hasher = fnv::FnvHasher::default();
        hasher.write(body.as_bytes());
        let etag = format!("\"{:016x}\"", hasher.finish());
        Script { body, etag }
    })
}

/// `GET /plugin.js`: the plugin, loadable from any origin; revalidated on every use
/// (`no-cache` with an entity tag), so a newsroom gets a new version as soon as it is deployed.
pub async fn plugin(req: HttpRequest, messages: web::Data<Messages>) -> HttpResponse {
    let script = script(&messages);
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == script.etag));
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CONTENT_TYPE, "text/javascript; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::ETAG, script.etag.as_str()))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if unchanged {
        response.finish()
    } else {
        response.body(script.body.as_str())
    }
}

/// `GET /[?lang=…]`: the demo editor in the chosen language, else in the one negotiated from
/// `Accept-Language`.
pub async fn demo(req: HttpRequest, messages: web::Data<Messages>) -> HttpResponse {
    let lang = page_lang(&req);
    html_page(lang, render_demo(&messages, lang))
}

/// The English `ui-plugin-` messages with each variable left as `{$name}`, as
/// `/api/v1/messages/en` serves them.
fn english_plugin_messages(messages: &Messages) -> BTreeMap<String, String> {
    ui_messages(messages, Lang::En)
        .into_iter()
        .filter(|(id, _)| id.starts_with(PLUGIN_PREFIX))
        .collect()
}

/// The demo statements for the page's script: id, date, titles, and each language's text
/// (its sentences in order, one paragraph).
fn demo_statements() -> &'static [serde_json::Value] {
    static STATEMENTS: OnceLock<Vec<serde_json::Value>> = OnceLock::new();
    STATEMENTS.get_or_init(|| {
        let file = demo_file().expect("src/demo/statements.json is valid");
        file.statements
            .iter()
            .map(|st| {
                let text: BTreeMap<Lang, String> = Lang::ALL
                    .iter()
                    .map(|&lang| {
                        let sentences: Vec<&str> = st
                            .units
                            .iter()
                            .filter_map(|unit| unit.get(&lang).map(String::as_str))
                            .collect();
                        (lang, sentences.join(" "))
                    })
                    .filter(|(_, text)| !text.is_empty())
                    .collect();
                json!({"id": st.id, "date": st.date, "title": st.title, "text": text})
            })
            .collect()
    })
}

/// `<option>`s of the four languages, named in the interface language.
fn language_options(messages: &Messages, ui: Lang) -> String {
    let mut out = String::new();
    for lang in Lang::ALL {
        let name =
            escape_html(&messages.format(ui, &format!("ui-plugin-lang-{}", lang.code()), &[]));
        out.push_str(&format!(
            "<option value=\"{}\">{name}</option>",
            lang.code()
        ));
    }
    out
}

/// `<option>`s of the demo statements: date and title in the interface language.
fn statement_options(ui: Lang) -> String {
    let mut out = String::new();
    for st in demo_statements() {
        let id = st["id"].as_str().unwrap_or_default();
        let date = st["date"].as_str().unwrap_or_default();
        let title = st["title"][ui.code()]
            .as_str()
            .or_else(|| st["title"]["en"].as_str())
            .unwrap_or(id);
        out.push_str(&format!(
            "<option value=\"{}\">{} · {}</option>",
            escape_html(id),
            escape_html(date),
            escape_html(title)
        ));
    }
    out
}

/// The page in `lang`. Placeholders: `{{lang}}`, `{{dir}}`, `{{style}}`, `{{demo-json}}`,
/// `{{language-links}}`, `{{language-options}}`, `{{statement-options}}`, `{{glossary-href}}`,
/// and any message id (inserted HTML-escaped).
fn render_demo(messages: &Messages, lang: Lang) -> String {
    let capacity = TEMPLATE.len() + STYLE.len() + 48 * 1024;
    fill_template(TEMPLATE, capacity, |key, out| match key {
        "lang" => out.push_str(lang.code()),
        "dir" => out.push_str(dir(lang)),
        "style" => out.push_str(STYLE),
        "demo-json" => out.push_str(&script_json(&json!({
            "statements": demo_statements(),
        }))),
        "language-links" => out.push_str(&language_links(messages, lang)),
        "language-options" => out.push_str(&language_options(messages, lang)),
        "statement-options" => out.push_str(&statement_options(lang)),
        "glossary-href" => out.push_str(&format!("/glossary?lang={}", lang.code())),
        id => out.push_str(&escape_html(&messages.format(lang, id, &[]))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test as web_test;

    /// The keys the template may use besides message ids.
    const BUILTIN_KEYS: [&str; 8] = [
        "lang",
        "dir",
        "style",
        "demo-json",
        "language-links",
        "language-options",
        "statement-options",
        "glossary-href",
    ];

    #[test]
    fn every_placeholder_of_the_demo_is_a_known_key_or_message() {
        let english = Messages::ids(crate::i18n::SOURCES[0].1);
        let keys = super::super::pages::placeholder_keys(TEMPLATE);
        for key in &keys {
            assert!(
                BUILTIN_KEYS.contains(key) || english.iter().any(|id| id == key),
                "unknown placeholder {key}"
            );
        }
        assert!(keys.len() > 10);
    }

    #[test]
    fn the_demo_renders_in_each_language_with_its_direction() {
        let messages = Messages::new();
        for lang in Lang::ALL {
            let page = render_demo(&messages, lang);
            let expected = format!("<html lang=\"{}\" dir=\"{}\">", lang.code(), dir(lang));
            assert!(page.contains(&expected), "{lang}");
            let title = escape_html(&messages.format(lang, "ui-demo-title", &[]));
            assert!(page.contains(&title), "{lang}");
            assert!(!page.contains("{{"), "{lang}: a placeholder is left");
            assert_eq!(
                page.matches("<script").count(),
                page.matches("</script>").count(),
                "{lang}"
            );
        }
    }

    #[test]
    fn the_demo_data_has_every_statement_in_every_language() {
        let statements = demo_statements();
        assert!(statements.len() >= 2);
        for st in statements {
            for lang in Lang::ALL {
                let text = st["text"][lang.code()].as_str().unwrap_or_default();
                assert!(!text.trim().is_empty(), "{} {lang}", st["id"]);
            }
        }
    }

    #[test]
    fn the_plugin_carries_the_english_messages_with_placeholders() {
        let messages = Messages::new();
        let english = english_plugin_messages(&messages);
        assert_eq!(english["ui-plugin-retry"], "Retry");
        assert_eq!(
            english["ui-plugin-match-insert"],
            "Insert match {$number}, {$score}%"
        );
        assert!(english.keys().all(|id| id.starts_with(PLUGIN_PREFIX)));
        assert!(
            SCRIPT.contains(FALLBACK_MARKER),
            "the marker is in werger.js"
        );
        let body = &script(&messages).body;
        assert!(!body.contains(FALLBACK_MARKER));
        assert!(body.contains("\"ui-plugin-retry\":\"Retry\""));
    }

    #[actix_web::test]
    async fn the_plugin_is_served_as_a_module_any_origin_may_load() {
        let app = web_test::init_service(
            actix_web::App::new()
                .app_data(web::Data::new(Messages::new()))
                .route("/plugin.js", web::get().to(plugin)),
        )
        .await;
        let response = web_test::call_service(
            &app,
            web_test::TestRequest::get().uri("/plugin.js").to_request(),
        )
        .await;
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        assert_eq!(
            headers.get(header::CONTENT_TYPE).unwrap(),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(headers.get(header::CACHE_CONTROL).unwrap(), "no-cache");
        assert_eq!(
            headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
            "*"
        );
        let etag = headers
            .get(header::ETAG)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let body = web_test::read_body(response).await;
        assert!(std::str::from_utf8(&body).unwrap().contains("export"));

        let again = web_test::TestRequest::get()
            .uri("/plugin.js")
            .insert_header((header::IF_NONE_MATCH, etag))
            .to_request();
        let response = web_test::call_service(&app, again).await;
        assert_eq!(response.status(), 304);
    }
}

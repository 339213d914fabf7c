//! Browser pages: the glossary maintainer page (`GET /glossary`) and the interface messages it
//! and other browser clients use (`GET /api/v1/messages/{lang}`).
//!
//! The page is a server-rendered shell: `pages/glossary.html` holds `{{…}}` placeholders that
//! are filled with the UI language, its direction, Fluent messages (HTML-escaped), the language
//! switcher, the stylesheet, the script, and the `ui-` messages as JSON for the script.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use fluent_syntax::ast;
use serde::Deserialize;
use serde_json::json;

use crate::core::lang::Lang;
use crate::http::{ApiError, Locale};
use crate::i18n::{Messages, SOURCES};
use crate::service::language;

const TEMPLATE: &str = include_str!("../pages/glossary.html");
const STYLE: &str = include_str!("../pages/glossary.css");
const SCRIPT: &str = include_str!("../pages/glossary.js");

/// Prefix of the messages meant for browser interfaces.
const UI_PREFIX: &str = "ui-";

#[derive(Debug, Deserialize)]
struct PageQuery {
    #[serde(default)]
    lang: Option<String>,
}

/// `GET /glossary[?lang=en|ar|ckb|kmr]`: the maintainer page in the chosen language, else in
/// the one negotiated from `Accept-Language`.
pub async fn glossary(req: HttpRequest, messages: web::Data<Messages>) -> HttpResponse {
    let lang = page_lang(&req);
    html_page(lang, render_glossary(&messages, lang))
}

/// A page's interface language: `?lang=` when it names a supported one, else the one
/// negotiated from `Accept-Language`.
pub(super) fn page_lang(req: &HttpRequest) -> Lang {
    web::Query::<PageQuery>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().lang)
        .and_then(|tag| language(&tag).ok())
        .unwrap_or_else(|| Locale::of(req).0)
}

/// A rendered page in `lang`, never cached stale (the language may change per request).
pub(super) fn html_page(lang: Lang, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .insert_header((header::VARY, "Accept-Language"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(body)
}

/// `GET /api/v1/messages/{lang}`: `{lang, dir, messages: {id: text}}` with every `ui-` message
/// of that locale; arguments appear as `{$name}` for the client to fill in.
pub async fn messages(
    messages: web::Data<Messages>,
    locale: Locale,
    tag: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let lang = language(&tag).map_err(|e| ApiError::new(e, locale.0, &messages))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .json(json!({
            "lang": lang.code(),
            "dir": dir(lang),
            "messages": ui_messages(&messages, lang),
        })))
}

pub(super) fn dir(lang: Lang) -> &'static str {
    if lang.is_rtl() {
        "rtl"
    } else {
        "ltr"
    }
}

/// A message id and the variables its value uses.
type CatalogEntry = (String, Vec<String>);

/// The `ui-` message ids of each locale with the variables each message uses.
fn ui_catalog(lang: Lang) -> &'static [CatalogEntry] {
    static CATALOG: OnceLock<HashMap<Lang, Vec<CatalogEntry>>> = OnceLock::new();
    let catalog = CATALOG.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(lang, source)| {
                let resource = fluent_syntax::parser::parse(*source).unwrap_or_else(|(r, _)| r);
                let entries = resource
                    .body
                    .iter()
                    .filter_map(|entry| match entry {
                        ast::Entry::Message(m) if m.id.name.starts_with(UI_PREFIX) => {
                            let mut vars = Vec::new();
                            if let Some(pattern) = &m.value {
                                pattern_variables(pattern, &mut vars);
                            }
                            Some((m.id.name.to_string(), vars))
                        }
                        _ => None,
                    })
                    .collect();
                (*lang, entries)
            })
            .collect()
    });
    catalog.get(&lang).map(Vec::as_slice).unwrap_or_default()
}

fn pattern_variables(pattern: &ast::Pattern<&str>, out: &mut Vec<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, out: &mut Vec<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut Vec<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } if !out.iter().any(|v| v == id.name) => {
            out.push(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            call_variables(arguments, out);
        }
        ast::InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => call_variables(arguments, out),
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

fn call_variables(arguments: &ast::CallArguments<&str>, out: &mut Vec<String>) {
    for positional in &arguments.positional {
        inline_variables(positional, out);
    }
    for named in &arguments.named {
        inline_variables(&named.value, out);
    }
}

/// Every `ui-` message of `lang`, formatted, with each variable left as `{$name}`.
pub(super) fn ui_messages(messages: &Messages, lang: Lang) -> BTreeMap<String, String> {
    ui_catalog(lang)
        .iter()
        .map(|(id, vars)| {
            let args: Vec<(&str, String)> = vars
                .iter()
                .map(|v| (v.as_str(), format!("{{${v}}}")))
                .collect();
            (id.clone(), messages.format(lang, id, &args))
        })
        .collect()
}

pub(super) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that is safe inside a `<script>` element: `<`, `>` and `&` (which JSON only has inside
/// strings) become `\u` escapes, so no `</script>` or `<!--` can appear.
pub(super) fn script_json(value: &impl serde::Serialize) -> String {
    let text = serde_json::to_string(value).expect("messages serialize");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The language switcher: one link per locale, named in its own language.
pub(super) fn language_links(messages: &Messages, current: Lang) -> String {
    let mut out = String::new();
    for lang in Lang::ALL {
        let name = escape_html(&messages.format(lang, "ui-glossary-lang-name", &[]));
        let code = lang.code();
        let current_attr = if lang == current {
            " aria-current=\"page\""
        } else {
            ""
        };
        out.push_str(&format!(
            "<li><a href=\"?lang={code}\" hreflang=\"{code}\" lang=\"{code}\" dir=\"{}\"{current_attr}>{name}</a></li>",
            dir(lang)
        ));
    }
    out
}

/// The page in `lang`. Placeholders: `{{lang}}`, `{{dir}}`, `{{style}}`, `{{script}}`,
/// `{{messages-json}}`, `{{language-links}}`, and any message id (inserted HTML-escaped).
fn render_glossary(messages: &Messages, lang: Lang) -> String {
    let capacity = TEMPLATE.len() + STYLE.len() + SCRIPT.len() + 16 * 1024;
    fill_template(TEMPLATE, capacity, |key, out| match key {
        "lang" => out.push_str(lang.code()),
        "dir" => out.push_str(dir(lang)),
        "style" => out.push_str(STYLE),
        "script" => out.push_str(SCRIPT),
        "messages-json" => out.push_str(&script_json(&ui_messages(messages, lang))),
        "language-links" => out.push_str(&language_links(messages, lang)),
        id => out.push_str(&escape_html(&messages.format(lang, id, &[]))),
    })
}

/// A page template with each `{{key}}` replaced by what `fill` writes for the (trimmed) key;
/// an unclosed `{{` is kept as text.
pub(super) fn fill_template(
    template: &str,
    capacity: usize,
    mut fill: impl FnMut(&str, &mut String),
) -> String {
    let mut out = String::with_capacity(capacity);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        fill(after[..end].trim(), &mut out);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The (trimmed) keys of a template's placeholders, in order; panics on an unclosed `{{`.
/// For the pages' tests: every key must be one the page fills.
#[cfg(test)]
pub(super) fn placeholder_keys(template: &str) -> Vec<&str> {
    let mut keys = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end = after.find("}}").expect("closed placeholder");
        keys.push(after[..end].trim());
        rest = &after[end + 2..];
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_of_the_page_is_a_known_key_or_message() {
        let known = ui_catalog(Lang::En);
        let builtin = [
            "lang",
            "dir",
            "style",
            "script",
            "messages-json",
            "language-links",
        ];
        let keys = placeholder_keys(TEMPLATE);
        for key in &keys {
            assert!(
                builtin.contains(key) || known.iter().any(|(id, _)| id == key),
                "unknown placeholder {key}"
            );
        }
        assert!(keys.len() > 10);
    }

    #[test]
    fn renders_each_language_with_its_direction_and_no_leftover_placeholder() {
        let messages = Messages::new();
        for lang in Lang::ALL {
            let page = render_glossary(&messages, lang);
            let expected = format!("<html lang=\"{}\" dir=\"{}\">", lang.code(), dir(lang));
            assert!(page.contains(&expected), "{lang}");
            let title = escape_html(&messages.format(lang, "ui-glossary-title", &[]));
            assert!(page.contains(&title), "{lang}");
            assert_eq!(
                page.matches("<script").count(),
                page.matches("</script>").count(),
                "{lang}"
            );
        }
        assert!(!render_glossary(&messages, Lang::Ckb).contains("{{ui-"));
    }

    #[test]
    fn ui_messages_keep_variables_as_placeholders() {
        let messages = Messages::new();
        let en = ui_messages(&messages, Lang::En);
        assert_eq!(en["ui-glossary-editor-heading-edit"], "Concept {$id}");
        let ckb = ui_messages(&messages, Lang::Ckb);
        assert!(ckb["ui-glossary-editor-heading-edit"].contains("{$id}"));
        assert_eq!(en.len(), ckb.len());
        assert!(en.keys().all(|k| k.starts_with(UI_PREFIX)));
    }

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let mut map = BTreeMap::new();
        map.insert("x", "</script><!-- & \u{2028}");
        let text = script_json(&map);
        assert!(!text.contains('<') && !text.contains('>'));
        let back: BTreeMap<String, String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back["x"], "</script><!-- & \u{2028}");
    }
}

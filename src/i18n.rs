//! Localized messages: the Fluent files of `locales/` embedded in the binary, and the choice of
//! a locale from an `Accept-Language` header.

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use fluent_langneg::{negotiate_languages, NegotiationStrategy};
use unic_langid::LanguageIdentifier;

use crate::core::lang::Lang;

/// The Fluent sources, one per supported locale.
pub const SOURCES: [(Lang, &str); 4] = [
    (Lang::En, include_str!("../locales/en/werger.ftl")),
    (Lang::Ar, include_str!("../locales/ar/werger.ftl")),
    (Lang::Ckb, include_str!("../locales/ckb/werger.ftl")),
    (Lang::Kmr, include_str!("../locales/kmr/werger.ftl")),
];

/// The message bundles of all four locales.
pub struct Messages {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

impl Messages {
    /// Build the bundles. The sources are part of the binary and checked by tests, so a syntax
    /// error here is a programming error.
    pub fn new() -> Self {
        let mut bundles = HashMap::new();
        for (lang, source) in SOURCES {
            let resource = FluentResource::try_new(source.to_string())
                .unwrap_or_else(|(_, errors)| panic!("locales/{lang}/werger.ftl: {errors:?}"));
            let langid: LanguageIdentifier = lang.code().parse().expect("valid language id");
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // Bidi isolation of arguments matters inside right-to-left messages; in the
            // left-to-right ones it would only add invisible characters to logs and terminals.
            bundle.set_use_isolating(lang.is_rtl());
            bundle
                .add_resource(resource)
                .expect("no duplicate message ids");
            bundles.insert(lang, bundle);
        }
        Messages { bundles }
    }

    /// The message `id` in `lang` with `args`; falls back to English, then to the id itself.
    pub fn format(&self, lang: Lang, id: &str, args: &[(&str, String)]) -> String {
        for l in [lang, Lang::En] {
            let bundle = &self.bundles[&l];
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut fargs = FluentArgs::new();
                for (k, v) in args {
                    fargs.set(*k, v.clone());
                }
                let mut errors = Vec::new();
                return bundle
                    .format_pattern(pattern, Some(&fargs), &mut errors)
                    .into_owned();
            }
        }
        id.to_string()
    }

    /// All message ids of a locale, for the completeness test.
    pub fn ids(source: &str) -> Vec<String> {
        let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }
}

impl Default for Messages {
    fn default() -> Self {
        Self::new()
    }
}

/// The UI language for an `Accept-Language` header: entries ordered by their `q` weight, our
/// aliases applied (`ku-Arab` → ckb, `ku`/`ku-Latn` → kmr, as Kurdish without a script means
/// Latin-script Kurmanji in CLDR), then negotiated with fluent-langneg; English by default.
pub fn negotiate(accept_language: Option<&str>) -> Lang {
    let Some(header) = accept_language else {
        return Lang::En;
    };
    let mut entries: Vec<(f32, usize, String)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next()?.trim().replace('_', "-");
            if tag.is_empty() || tag == "*" {
                return None;
            }
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, i, tag))
        })
        .collect();
    entries.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let requested: Vec<LanguageIdentifier> = entries
        .iter()
        .filter_map(|(_, _, tag)| {
            let lower = tag.to_ascii_lowercase();
            let mapped =
                if lower == "ku" || lower.starts_with("ku-latn") || lower.starts_with("ku-tr") {
                    "kmr".to_string()
                } else if lower.starts_with("ku-arab") {
                    "ckb".to_string()
                } else {
                    tag.clone()
                };
            mapped.parse().ok()
        })
        .collect();
    let available: Vec<LanguageIdentifier> = Lang::ALL
        .iter()
        .map(|l| l.code().parse().expect("valid"))
        .collect();
    let default: LanguageIdentifier = "en".parse().expect("valid");
    let chosen = negotiate_languages(
        &requested,
        &available,
        Some(&default),
        NegotiationStrategy::Lookup,
    );
    chosen
        .first()
        .and_then(|id| id.language.as_str().parse::<Lang>().ok())
        .unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_every_locale_with_the_same_arguments() {
        let english = Messages::ids(SOURCES[0].1);
        assert!(english.len() >= 10);
        for (lang, source) in SOURCES {
            let ids = Messages::ids(source);
            assert_eq!(
                ids.len(),
                english.len(),
                "locale {lang} has {} messages, en has {}",
                ids.len(),
                english.len()
            );
            for id in &english {
                assert!(ids.contains(id), "locale {lang} lacks {id}");
                let vars = |src: &str| {
                    let line = src
                        .lines()
                        .find(|l| l.starts_with(&format!("{id} =")))
                        .unwrap_or_default()
                        .to_string();
                    let mut v: Vec<String> = line
                        .split("{ $")
                        .skip(1)
                        .map(|s| s.split(' ').next().unwrap_or("").to_string())
                        .collect();
                    v.sort();
                    v
                };
                assert_eq!(
                    vars(source),
                    vars(SOURCES[0].1),
                    "locale {lang}, message {id}: arguments differ"
                );
            }
        }
    }

    #[test]
    fn error_table_ids_exist_in_every_locale() {
        for (lang, source) in SOURCES {
            let ids = Messages::ids(source);
            for kind in crate::service::ERROR_TABLE {
                assert!(
                    ids.iter().any(|i| i == kind.message_id),
                    "{lang} lacks {}",
                    kind.message_id
                );
            }
        }
    }

    #[test]
    fn formats_with_arguments_and_falls_back_to_english() {
        let m = Messages::new();
        let text = m.format(Lang::En, "error-unit-not-found", &[("id", "42".into())]);
        assert!(text.contains("42"), "{text}");
        let ar = m.format(Lang::Ar, "error-unit-not-found", &[("id", "42".into())]);
        assert!(ar.contains("42") && ar != text, "{ar}");
        assert_eq!(m.format(Lang::Ckb, "no-such-id", &[]), "no-such-id");
    }

    #[test]
    fn negotiation_follows_weights_and_aliases() {
        assert_eq!(negotiate(None), Lang::En);
        assert_eq!(negotiate(Some("ar-IQ,ar;q=0.9,en;q=0.5")), Lang::Ar);
        assert_eq!(negotiate(Some("en;q=0.3, ckb")), Lang::Ckb);
        assert_eq!(negotiate(Some("ku-Arab")), Lang::Ckb);
        assert_eq!(negotiate(Some("ku")), Lang::Kmr);
        assert_eq!(negotiate(Some("fr-FR, de")), Lang::En);
        assert_eq!(negotiate(Some("fr, kmr-TR;q=0.8")), Lang::Kmr);
    }
}

//! Translation units as the core sees them: plain values, independent of storage.

use serde::{Deserialize, Serialize};

use super::lang::Lang;

/// A `<prop type="…">value</prop>` of TMX, kept verbatim for export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prop {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

/// Metadata that TMX attaches to a `tu` or a `tuv` and that Werger keeps without interpreting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Attributes other than the ones Werger models (`creationdate`, `changeid`, `usagecount`…),
    /// in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attrs: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Meta {
    pub fn is_empty(&self) -> bool {
        self.attrs.is_empty() && self.props.is_empty() && self.notes.is_empty()
    }
}

/// One language's segment of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    pub lang: Lang,
    /// Region subtag of the original tag (`ar-IQ` → `IQ`), kept as metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The segment as an inline XML fragment: escaped text plus TMX inline elements
    /// (`bpt`, `ept`, `ph`, `it`, `hi`, `ut`, `sub`), written back verbatim on export.
    pub content: String,
    /// The text without inline codes: what is matched, shown and indexed.
    pub text: String,
    #[serde(default, skip_serializing_if = "Meta::is_empty")]
    pub meta: Meta,
}

/// The inline content of a segment without inline codes: its text, XML-escaped
/// (`quick_xml::escape`). Most segments have nothing to escape and are borrowed, which
/// [`needs_escape`] finds first: `escape`'s own scan, a byte at a time, was 2% of an import,
/// which asks this twice per variant (reading the TMX, storing the row).
pub fn plain_content(text: &str) -> std::borrow::Cow<'_, str> {
    if needs_escape(text) {
        quick_xml::escape::escape(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Whether `text` has one of the six characters `quick_xml::escape` replaces (a test checks
/// the set is exactly its), found with SIMD searches.
fn needs_escape(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3(b'<', b'>', b'&', bytes).is_some()
        || memchr::memchr3(b'\'', b'"', b'\r', bytes).is_some()
}

impl Variant {
    /// Whether the content is just the escaped text (no inline codes): most segments.
    pub fn is_plain(&self) -> bool {
        self.content == plain_content(&self.text)
    }

    /// A variant from plain text (no inline markup).
    pub fn plain(lang: Lang, text: impl Into<String>) -> Self {
        let text = text.into();
        Variant {
            lang,
            region: None,
            content: plain_content(&text).into_owned(),
            text,
            meta: Meta::default(),
        }
    }

    /// The tag to write in files: the canonical code plus the region, never a bare `ku`.
    pub fn tag(&self) -> String {
        match &self.region {
            Some(region) => format!("{}-{}", self.lang.code(), region),
            None => self.lang.code().to_string(),
        }
    }
}

/// A translation unit: segments in several languages that say the same thing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// The id the unit had in its source file (TMX `tuid`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Meta::is_empty")]
    pub meta: Meta,
    pub variants: Vec<Variant>,
}

impl Unit {
    pub fn variant(&self, lang: Lang) -> Option<&Variant> {
        self.variants.iter().find(|v| v.lang == lang)
    }

    /// A stable key of the unit's wording (languages and inline content), used to skip exact
    /// duplicates on import. FNV-1a is stable across builds, unlike std's hasher.
    pub fn content_key(&self) -> u64 {
        use std::hash::Hasher;
        let mut sorted: Vec<&Variant> = self.variants.iter().collect();
        sorted.sort_by_key(|v| v.lang);
        let mut hasher = fnv::FnvHasher::default();
        for v in sorted {
            hasher.write(v.lang.code().as_bytes());
            hasher.write_u8(0x1f);
            hasher.write(v.content.as_bytes());
            hasher.write_u8(0x1e);
        }
        hasher.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters `needs_escape` looks for are exactly those `quick_xml::escape`
    /// replaces, so `plain_content` is `escape`.
    #[test]
    fn plain_content_escapes_what_quick_xml_escapes() {
        for c in ('\0'..='\u{07FF}').chain(['\u{FEFF}', '\u{1F600}']) {
            let text = format!("a{c}b");
            let theirs = quick_xml::escape::escape(text.as_str());
            assert_eq!(
                needs_escape(&text),
                matches!(theirs, std::borrow::Cow::Owned(_)),
                "{c:?}"
            );
            assert_eq!(plain_content(&text), theirs, "{c:?}");
        }
    }

    #[test]
    fn plain_variants_escape_markup_characters() {
        let v = Variant::plain(Lang::En, "R&D <b>");
        assert_eq!(v.content, "R&amp;D &lt;b&gt;");
        assert_eq!(v.text, "R&D <b>");
    }

    #[test]
    fn content_key_ignores_variant_order_but_not_wording() {
        let a = Unit {
            external_id: None,
            meta: Meta::default(),
            variants: vec![
                Variant::plain(Lang::En, "Hello"),
                Variant::plain(Lang::Ar, "مرحبا"),
            ],
        };
        let mut b = a.clone();
        b.variants.reverse();
        assert_eq!(a.content_key(), b.content_key());
        b.variants[0].content.push('!');
        assert_ne!(a.content_key(), b.content_key());
    }

    #[test]
    fn tags_are_canonical_with_region() {
        let mut v = Variant::plain(Lang::Ar, "x");
        v.region = Some("IQ".into());
        assert_eq!(v.tag(), "ar-IQ");
    }
}

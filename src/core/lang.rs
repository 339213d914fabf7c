//! Language tags and scripts.
//!
//! Werger supports exactly four languages. Tags arrive from users, TMX files and browsers in many
//! spellings (`ar-IQ`, `ku-Arab`, `EN-us`, `ku`), so every tag goes through [`parse_tag`], which
//! uses `unic-langid` for the BCP 47 syntax and then maps the result onto [`Lang`].
//!
//! A bare `ku` is ambiguous (Microsoft uses it for Sorani, Unicode and TICO-19 for Kurmanji):
//! [`LangTag::resolve`] decides by the script of the text and says so.

use std::fmt;
use std::str::FromStr;

use unic_langid::LanguageIdentifier;

/// A language Werger works with.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    En,
    /// Arabic (Modern Standard Arabic).
    Ar,
    /// Central Kurdish (Sorani), Arabic script.
    Ckb,
    /// Northern Kurdish (Kurmanji), Latin script.
    Kmr,
}

impl Lang {
    /// All supported languages, in a stable order.
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Ar, Lang::Ckb, Lang::Kmr];

    /// The canonical tag (what Werger emits everywhere).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ar => "ar",
            Lang::Ckb => "ckb",
            Lang::Kmr => "kmr",
        }
    }

    /// The script the language is written in.
    pub fn script(self) -> Script {
        match self {
            Lang::En | Lang::Kmr => Script::Latin,
            Lang::Ar | Lang::Ckb => Script::Arabic,
        }
    }

    /// Whether text in this language runs right to left.
    pub fn is_rtl(self) -> bool {
        self.script() == Script::Arabic
    }

    /// A small dense index, handy for arrays keyed by language.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The comma-separated list of supported codes, for error messages.
    pub fn supported_list() -> String {
        Lang::ALL.map(Lang::code).join(", ")
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A writing script, as far as Werger needs to tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Arabic,
}

/// Why a tag could not be turned into a [`Lang`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LangError {
    #[error("unsupported language tag {tag:?}; supported: en, ar, ckb, kmr")]
    Unsupported { tag: String },
    #[error("ambiguous language tag {tag:?}: use ckb (Sorani, Arabic script) or kmr (Kurmanji, Latin script)")]
    Ambiguous { tag: String },
}

/// A parsed tag: either a definite language, or a bare Kurdish tag to be resolved from text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangTag {
    /// The tag as written.
    pub original: String,
    /// `None` for a bare `ku` (or `ku-IQ`, `kur`): Kurdish without a script.
    pub lang: Option<Lang>,
    /// The region subtag, kept as metadata (`ar-IQ` → `IQ`).
    pub region: Option<String>,
    /// Set when the tag was an alias, e.g. `ku-Arab` → `ckb`.
    pub aliased: bool,
}

/// How a tag became a language, for import reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub lang: Lang,
    /// A human-readable remark when the tag was not already canonical.
    pub note: Option<String>,
}

impl LangTag {
    /// Resolve to a language, looking at `text` only when the tag is a bare `ku`.
    pub fn resolve(&self, text: Option<&str>) -> Result<Resolution, LangError> {
        if let Some(lang) = self.lang {
            let note = (self.aliased || self.original != lang.code())
                .then(|| format!("{:?} read as {}", self.original, lang.code()));
            return Ok(Resolution { lang, note });
        }
        match text.and_then(dominant_script) {
            Some(Script::Arabic) => Ok(Resolution {
                lang: Lang::Ckb,
                note: Some(format!(
                    "{:?} read as ckb (Sorani) because the text is in Arabic script",
                    self.original
                )),
            }),
            Some(Script::Latin) => Ok(Resolution {
                lang: Lang::Kmr,
                note: Some(format!(
                    "{:?} read as kmr (Kurmanji) because the text is in Latin script",
                    self.original
                )),
            }),
            None => Err(LangError::Ambiguous {
                tag: self.original.clone(),
            }),
        }
    }
}

/// Parse a language tag (BCP 47, also the `ar_IQ` style and ISO 639-3 codes used by corpora).
pub fn parse_tag(tag: &str) -> Result<LangTag, LangError> {
    let trimmed = tag.trim();
    let unsupported = || LangError::Unsupported {
        tag: tag.to_string(),
    };
    if trimmed.is_empty() {
        return Err(unsupported());
    }
    let id: LanguageIdentifier = trimmed
        .replace('_', "-")
        .parse()
        .map_err(|_| unsupported())?;
    let language = id.language.as_str().to_ascii_lowercase();
    let script = id.script.map(|s| s.as_str().to_ascii_lowercase());
    let region = id.region.map(|r| r.as_str().to_string());
    let (lang, aliased) = match (language.as_str(), script.as_deref()) {
        ("en" | "eng", None | Some("latn")) => (Some(Lang::En), language != "en"),
        ("ar" | "ara" | "arb", None | Some("arab")) => (Some(Lang::Ar), language != "ar"),
        ("ckb", None | Some("arab")) => (Some(Lang::Ckb), false),
        ("kmr", None | Some("latn")) => (Some(Lang::Kmr), false),
        ("ku" | "kur", Some("arab")) => (Some(Lang::Ckb), true),
        ("ku" | "kur", Some("latn")) => (Some(Lang::Kmr), true),
        ("ku" | "kur", None) => (None, false),
        _ => return Err(unsupported()),
    };
    Ok(LangTag {
        original: tag.to_string(),
        lang,
        region,
        aliased: aliased || script.is_some(),
    })
}

/// Parse a tag that must name one language by itself (API parameters, where no text decides).
pub fn parse_lang(tag: &str) -> Result<Lang, LangError> {
    let parsed = parse_tag(tag)?;
    parsed.lang.ok_or(LangError::Ambiguous {
        tag: tag.to_string(),
    })
}

impl FromStr for Lang {
    type Err = LangError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_lang(s)
    }
}

/// The script most letters of `text` are written in, if it has any Latin or Arabic letters.
pub fn dominant_script(text: &str) -> Option<Script> {
    let (mut latin, mut arabic) = (0usize, 0usize);
    for c in text.chars().filter(|&c| super::letters::is_alphabetic(c)) {
        match script_of(c) {
            Some(Script::Arabic) => arabic += 1,
            Some(Script::Latin) => latin += 1,
            None => {}
        }
    }
    match (latin, arabic) {
        (0, 0) => None,
        (l, a) if a > l => Some(Script::Arabic),
        _ => Some(Script::Latin),
    }
}

/// The script of a letter, when it is Latin or Arabic (blocks and presentation forms).
pub fn script_of(c: char) -> Option<Script> {
    match c as u32 {
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Some(Script::Arabic)
        }
        _ if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) => {
            Some(Script::Latin)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_tags() {
        for lang in Lang::ALL {
            assert_eq!(parse_lang(lang.code()).unwrap(), lang);
        }
    }

    #[test]
    fn aliases_and_regions() {
        assert_eq!(parse_lang("ku-Arab").unwrap(), Lang::Ckb);
        assert_eq!(parse_lang("ku-Latn").unwrap(), Lang::Kmr);
        assert_eq!(parse_lang("ku-Latn-TR").unwrap(), Lang::Kmr);
        assert_eq!(parse_lang("EN-us").unwrap(), Lang::En);
        assert_eq!(parse_lang("ar_IQ").unwrap(), Lang::Ar);
        assert_eq!(parse_lang("arb").unwrap(), Lang::Ar);
        let tag = parse_tag("ar-IQ").unwrap();
        assert_eq!(tag.region.as_deref(), Some("IQ"));
        assert!(tag.resolve(None).unwrap().note.is_some());
        assert!(parse_tag("ckb")
            .unwrap()
            .resolve(None)
            .unwrap()
            .note
            .is_none());
    }

    #[test]
    fn unknown_tags_are_rejected_naming_the_supported_ones() {
        for bad in ["fr", "fa", "", "ckb-Latn", "x-klingon", "en-Arab"] {
            let err = parse_tag(bad).unwrap_err();
            assert!(matches!(err, LangError::Unsupported { .. }), "{bad}");
            assert!(err.to_string().contains("en, ar, ckb, kmr"));
        }
    }

    #[test]
    fn bare_ku_is_resolved_by_script() {
        let tag = parse_tag("ku").unwrap();
        assert_eq!(tag.lang, None);
        let sorani = tag
            .resolve(Some("ئەم نیشانانه لە کەیەوە بوونیان هەیە؟"))
            .unwrap();
        assert_eq!(sorani.lang, Lang::Ckb);
        let kurmanji = tag
            .resolve(Some("çî demek wan nîşaneyan didomîne?"))
            .unwrap();
        assert_eq!(kurmanji.lang, Lang::Kmr);
        assert!(kurmanji.note.unwrap().contains("Latin"));
        assert_eq!(
            tag.resolve(Some("2021")).unwrap_err(),
            LangError::Ambiguous { tag: "ku".into() }
        );
        assert!(matches!(parse_lang("ku"), Err(LangError::Ambiguous { .. })));
    }

    #[test]
    fn script_detection_counts_letters() {
        assert_eq!(dominant_script("Erbil هەولێر هەولێر"), Some(Script::Arabic));
        assert_eq!(dominant_script("The ISF (هێز)"), Some(Script::Latin));
        assert_eq!(dominant_script("12, 13."), None);
    }
}

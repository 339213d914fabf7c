//! Reader and writer tests on small hand-written files.

use super::*;
use crate::core::lang::Lang;

fn read_all(bytes: &[u8]) -> Result<Vec<ParsedUnit>, TmxError> {
    let mut reader = TmxReader::new(decoded(bytes), Limits::default())?;
    let mut out = Vec::new();
    while let Some(unit) = reader.next_unit()? {
        out.push(unit);
    }
    Ok(out)
}

const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" srclang="en" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x"/>
  <body>
    <tu tuid="DOC:1" creationdate="20210217T120000Z">
      <prop type="note">https://example.org/a</prop>
      <note>first</note>
      <tuv xml:lang="en"><seg>The <bpt i="1">&lt;b&gt;</bpt>Coalition<ept i="1">&lt;/b&gt;</ept> met the <hi type="x">ISF</hi> &amp; Peshmerga.<ph>&lt;br/&gt;</ph></seg></tuv>
      <tuv xml:lang="ar-IQ"><seg>التقى التحالف بقوات الأمن العراقية.</seg></tuv>
      <tuv lang="ku"><seg>Hevpeymanî bi Pêşmerge re civiya.</seg></tuv>
      <tuv xml:lang="fr"><seg>La coalition.</seg></tuv>
    </tu>
  </body>
</tmx>"#;

#[test]
fn reads_variants_inline_codes_and_metadata() {
    let units = read_all(SAMPLE.as_bytes()).unwrap();
    assert_eq!(units.len(), 1);
    let parsed = &units[0];
    let unit = &parsed.unit;
    assert_eq!(unit.external_id.as_deref(), Some("DOC:1"));
    assert_eq!(unit.meta.props[0].kind, "note");
    assert_eq!(unit.meta.notes, vec!["first".to_string()]);
    let en = unit.variant(Lang::En).unwrap();
    assert_eq!(en.text, "The Coalition met the ISF & Peshmerga.");
    assert!(
        en.content.contains("<bpt i=\"1\">&lt;b&gt;</bpt>"),
        "{}",
        en.content
    );
    assert!(
        en.content.contains("<hi type=\"x\">ISF</hi>"),
        "{}",
        en.content
    );
    let ar = unit.variant(Lang::Ar).unwrap();
    assert_eq!(ar.region.as_deref(), Some("IQ"));
    assert!(
        unit.variant(Lang::Kmr).is_some(),
        "bare ku with Latin text is Kurmanji"
    );
    assert_eq!(parsed.skipped.len(), 1);
    assert_eq!(parsed.skipped[0].reason, SkipReason::UnsupportedLanguage);
    assert!(!parsed.tag_notes.is_empty());
}

/// Element names in any case (end tags too), units one after another — each read reuses the
/// event buffers of the one before, so nothing of one unit may leak into the next — and an
/// unknown element reported by its name, however long.
#[test]
fn element_names_in_any_case_units_in_turn_and_unknown_elements_by_name() {
    let file = r#"<?xml version="1.0"?>
<TMX version="1.4"><Header srclang="en"/><BODY>
<TU tuid="a"><PROP type="x">p</PROP><TUV xml:lang="en"><SEG>One <HI>two</HI> three.</SEG></TUV><Tuv xml:lang="ar"><Seg>واحد</Seg></Tuv></TU>
<tu tuid="b"><tuv xml:lang="en"><seg>Second &amp; last.</seg></tuv></tu>
</BODY></TMX>"#;
    let units = read_all(file.as_bytes()).unwrap();
    assert_eq!(units.len(), 2);
    let first = &units[0].unit;
    assert_eq!(first.external_id.as_deref(), Some("a"));
    assert_eq!(first.meta.props[0].value, "p");
    let en = first.variant(Lang::En).unwrap();
    assert_eq!(
        (en.text.as_str(), en.content.as_str()),
        ("One two three.", "One <hi>two</hi> three.")
    );
    assert_eq!(first.variant(Lang::Ar).unwrap().text, "واحد");
    let second = &units[1].unit;
    assert_eq!(second.external_id.as_deref(), Some("b"));
    assert!(second.meta.props.is_empty());
    assert_eq!(second.variants.len(), 1);
    assert_eq!(second.variants[0].text, "Second & last.");

    let unknown = SAMPLE.replace("<note>first</note>", "<Annotation>x</Annotation>");
    let err = read_all(unknown.as_bytes()).unwrap_err();
    assert!(
        err.to_string().contains("unexpected <annotation> in <tu>"),
        "{err}"
    );
    let unknown = SAMPLE.replace(
        "<seg>La coalition.</seg>",
        "<segment>La coalition.</segment>",
    );
    let err = read_all(unknown.as_bytes()).unwrap_err();
    assert!(
        err.to_string().contains("unexpected <segment> in <tuv>"),
        "{err}"
    );
}

#[test]
fn writer_output_reads_back_identically() {
    let units = read_all(SAMPLE.as_bytes()).unwrap();
    let mut writer = TmxWriter::start(Vec::new(), "en").unwrap();
    for u in &units {
        writer.write_unit(&u.unit, &[]).unwrap();
    }
    let bytes = writer.finish().unwrap();
    let again = read_all(&bytes).unwrap();
    assert_eq!(again.len(), 1);
    let (a, b) = (&units[0].unit, &again[0].unit);
    assert_eq!(a.external_id, b.external_id);
    assert_eq!(a.variants.len(), b.variants.len());
    for (x, y) in a.variants.iter().zip(&b.variants) {
        assert_eq!(x.lang, y.lang);
        assert_eq!(x.content, y.content);
        assert_eq!(x.text, y.text);
        assert_eq!(x.region, y.region);
    }
    assert_eq!(a.meta.props, b.meta.props);
    assert_eq!(a.meta.notes, b.meta.notes);
}

#[test]
fn utf16_with_bom_is_decoded() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in SAMPLE.replace("UTF-8", "UTF-16").encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let units = read_all(&bytes).unwrap();
    assert_eq!(units[0].unit.variants.len(), 3);
}

#[test]
fn entity_expansion_is_rejected() {
    let evil = r#"<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<tmx version="1.4"><header srclang="en"/><body>
<tu><tuv xml:lang="en"><seg>&b;</seg></tuv></tu>
</body></tmx>"#;
    let err = read_all(evil.as_bytes()).unwrap_err();
    assert!(err.message.contains("entity"), "{}", err.message);
}

#[test]
fn malformed_file_reports_position() {
    let bad = "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n<tu><tuv xml:lang=\"en\"><seg>ok</seg></tuv></tu>\n<tu><tuv xml:lang=\"en\"><seg>broken</tuv></tu>\n</body></tmx>";
    let err = read_all(bad.as_bytes()).unwrap_err();
    let (line, _col) = line_column(decoded(bad.as_bytes()), err.offset).unwrap();
    assert_eq!(line, 4, "{err:?}");
}

#[test]
fn missing_language_is_an_error() {
    let bad = "<tmx version=\"1.4\"><header srclang=\"en\"/><body><tu><tuv><seg>x</seg></tuv></tu></body></tmx>";
    assert!(read_all(bad.as_bytes()).is_err());
}

#[test]
fn oversized_text_is_rejected_not_buffered() {
    let limits = Limits {
        max_run_bytes: 1000,
        ..Limits::default()
    };
    let huge = format!(
        "<tmx version=\"1.4\"><header srclang=\"en\"/><body><tu><tuv xml:lang=\"en\"><seg>{}</seg></tuv></tu></body></tmx>",
        "a".repeat(100_000)
    );
    let mut reader = TmxReader::new(decoded(huge.as_bytes()), limits).unwrap();
    assert!(reader.next_unit().is_err());
}

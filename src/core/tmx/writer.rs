//! Writing TMX 1.4b, one unit at a time.

use std::io::{self, Write};

use quick_xml::escape::escape;

use crate::core::unit::{Meta, Unit};

/// A streaming TMX writer: [`TmxWriter::start`], then [`TmxWriter::write_unit`] per unit, then
/// [`TmxWriter::finish`].
pub struct TmxWriter<W: Write> {
    out: W,
}

impl<W: Write> TmxWriter<W> {
    /// Write the XML declaration, the `<header>` and open `<body>`. `srclang` is a language code
    /// or `*all*`.
    pub fn start(mut out: W, srclang: &str) -> io::Result<Self> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, r#"<tmx version="1.4">"#)?;
        writeln!(
            out,
            r#"  <header creationtool="Werger" creationtoolversion="{}" segtype="sentence" o-tmf="Werger" adminlang="en" srclang="{}" datatype="plaintext"/>"#,
            env!("CARGO_PKG_VERSION"),
            escape(srclang)
        )?;
        writeln!(out, "  <body>")?;
        Ok(TmxWriter { out })
    }

    /// Write one `<tu>`. `extra_attrs` are added after the unit's own attributes unless the unit
    /// already has an attribute of that name (used for `creationdate`/`changedate`).
    pub fn write_unit(&mut self, unit: &Unit, extra_attrs: &[(&str, String)]) -> io::Result<()> {
        let out = &mut self.out;
        write!(out, "    <tu")?;
        if let Some(id) = &unit.external_id {
            write!(out, r#" tuid="{}""#, escape(id.as_str()))?;
        }
        for (name, value) in &unit.meta.attrs {
            write!(out, r#" {}="{}""#, name, escape(value.as_str()))?;
        }
        for (name, value) in extra_attrs {
            if !unit.meta.attrs.iter().any(|(n, _)| n == name) {
                write!(out, r#" {}="{}""#, name, escape(value.as_str()))?;
            }
        }
        writeln!(out, ">")?;
        write_meta_children(out, &unit.meta, "      ")?;
        for variant in &unit.variants {
            write!(out, r#"      <tuv xml:lang="{}""#, escape(variant.tag()))?;
            for (name, value) in &variant.meta.attrs {
                write!(out, r#" {}="{}""#, name, escape(value.as_str()))?;
            }
            writeln!(out, ">")?;
            write_meta_children(out, &variant.meta, "        ")?;
            writeln!(out, "        <seg>{}</seg>", variant.content)?;
            writeln!(out, "      </tuv>")?;
        }
        writeln!(out, "    </tu>")
    }

    /// Close `<body>` and `<tmx>` and hand back the output.
    pub fn finish(mut self) -> io::Result<W> {
        writeln!(self.out, "  </body>")?;
        writeln!(self.out, "</tmx>")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn write_meta_children(out: &mut impl Write, meta: &Meta, indent: &str) -> io::Result<()> {
    for prop in &meta.props {
        writeln!(
            out,
            r#"{indent}<prop type="{}">{}</prop>"#,
            escape(prop.kind.as_str()),
            escape(prop.value.as_str())
        )?;
    }
    for note in &meta.notes {
        writeln!(out, "{indent}<note>{}</note>", escape(note.as_str()))?;
    }
    Ok(())
}

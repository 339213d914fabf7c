//! TMX 1.4b: a streaming reader and writer.
//!
//! Both work one `<tu>` at a time, so a memory of millions of units passes through in bounded
//! memory. The reader is strict where a silent guess would lose data (malformed XML, unknown
//! entities, a `<tuv>` without a language) and lenient where real files differ harmlessly
//! (upper-case tags, TMX 1.1's `lang=`, `<ude>` in the header). It never expands entities other
//! than the five predefined ones and character references, so entity-expansion attacks
//! ("billion laughs") are rejected, not evaluated.

mod reader;
mod writer;

pub use reader::{Header, Limits, ParsedUnit, SkipReason, Skipped, TmxReader};
pub use writer::TmxWriter;

use std::io::{self, BufRead, BufReader, Read};

/// A problem in a TMX file, at a byte offset of the decoded (UTF-8) text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TmxError {
    pub offset: u64,
    pub message: String,
}

impl TmxError {
    pub(crate) fn new(offset: u64, message: impl Into<String>) -> Self {
        TmxError {
            offset,
            message: message.into(),
        }
    }
}

/// Wrap raw file bytes so that UTF-16 (LE or BE, with a BOM) and UTF-8 with or without a BOM
/// all come out as UTF-8 without a BOM. Used for reading and again for locating errors, so the
/// offsets agree.
pub fn decoded(raw: impl Read) -> impl BufRead {
    BufReader::with_capacity(
        64 * 1024,
        encoding_rs_io::DecodeReaderBytesBuilder::new()
            .bom_sniffing(true)
            .strip_bom(true)
            .build(raw),
    )
}

/// The 1-based line and column (in characters) of a byte offset in decoded text.
pub fn line_column(mut decoded: impl BufRead, offset: u64) -> io::Result<(u64, u64)> {
    let (mut line, mut column, mut seen) = (1u64, 1u64, 0u64);
    loop {
        let buf = decoded.fill_buf()?;
        if buf.is_empty() || seen >= offset {
            return Ok((line, column));
        }
        let take = buf.len().min((offset - seen) as usize);
        for &b in &buf[..take] {
            if b == b'\n' {
                line += 1;
                column = 1;
            } else if b & 0xC0 != 0x80 {
                // Count characters, not UTF-8 continuation bytes.
                column += 1;
            }
        }
        seen += take as u64;
        decoded.consume(take);
    }
}

#[cfg(test)]
mod tests;

//! The XML reader set-up shared by the TMX and TBX readers: a bound on how much it may buffer,
//! strict end tags, empty elements reported as such.

use std::io::{self, BufRead, Read};

/// Counts the bytes since the last `<` and fails once a run exceeds its bound, so that neither
/// a giant text node nor a giant tag can make the XML reader buffer without limit.
pub struct RunGuard<R> {
    inner: R,
    run: usize,
    max: usize,
}

impl<R> RunGuard<R> {
    pub fn new(inner: R, max: usize) -> Self {
        RunGuard { inner, run: 0, max }
    }
}

impl<R: BufRead> Read for RunGuard<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for RunGuard<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.run > self.max {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a text or tag longer than {} bytes", self.max),
            ));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if amt == 0 {
            return;
        }
        // The bytes being consumed are the ones fill_buf just returned; asking again does no I/O.
        if let Ok(buf) = self.inner.fill_buf() {
            let seen = &buf[..amt.min(buf.len())];
            match seen.iter().rposition(|&b| b == b'<') {
                Some(pos) => self.run = seen.len() - pos - 1,
                None => self.run += seen.len(),
            }
        }
        self.inner.consume(amt);
    }
}

/// A quick-xml reader over `input` whose text runs and tags are bounded by `max_run` bytes,
/// checking that end tags match their start tags.
pub fn reader<R: BufRead>(input: R, max_run: usize) -> quick_xml::Reader<RunGuard<R>> {
    let mut xml = quick_xml::Reader::from_reader(RunGuard::new(input, max_run));
    let config = xml.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = false;
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_run_fails_and_short_runs_pass() {
        let mut ok = RunGuard::new(&b"<a>text</a><b>more</b>"[..], 8);
        let mut out = String::new();
        assert!(ok.read_to_string(&mut out).is_ok());
        let mut long = RunGuard::new(&b"<a>a text that is far too long</a>"[..], 8);
        let mut out = Vec::new();
        let mut chunk = [0u8; 4];
        let failed = loop {
            match long.read(&mut chunk) {
                Ok(0) => break false,
                Ok(n) => out.extend_from_slice(&chunk[..n]),
                Err(_) => break true,
            }
        };
        assert!(failed);
    }
}

//! Statements arrive as plain text, Markdown or HTML; alignment needs plain text with the
//! paragraph boundaries kept (a blank line between paragraphs).

/// The format of a statement version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Text,
    Markdown,
    Html,
}

/// Plain text with paragraphs separated by blank lines.
pub fn plain_text(format: Format, text: &str) -> String {
    match format {
        Format::Text => text.replace("\r\n", "\n"),
        Format::Markdown => markdown(text),
        Format::Html => html(text),
    }
}

/// Markdown: heading marks, quote marks, list bullets, emphasis and link syntax removed; lines
/// kept (a heading or list item is its own line, which the segmenter treats as a boundary).
fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.replace("\r\n", "\n").lines() {
        let mut l = line.trim_start();
        l = l
            .trim_start_matches('#')
            .trim_start_matches('>')
            .trim_start();
        for bullet in ["- ", "* ", "+ "] {
            if let Some(rest) = l.strip_prefix(bullet) {
                l = rest;
            }
        }
        out.push_str(&strip_links(&l.replace("**", "").replace("__", "")));
        out.push('\n');
    }
    out
}

/// `[text](url)` → `text`.
fn strip_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// HTML: tags removed, block elements and `<br>` end paragraphs/lines, `<script>`/`<style>`
/// content dropped, the common character references decoded.
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>').map(|i| open + i) else {
            // A lone `<` is text.
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = rest[open + 1..close].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        rest = &rest[close + 1..];
        if !tag.starts_with('/') && (name == "script" || name == "style") {
            let end = format!("</{name}");
            match rest.to_ascii_lowercase().find(&end) {
                Some(i) => rest = &rest[i..],
                None => rest = "",
            }
            continue;
        }
        match name.as_str() {
            "br" | "li" | "tr" => out.push('\n'),
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "table"
            | "blockquote" | "section" | "article" => out.push_str("\n\n"),
            _ => {}
        }
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    // Collapse the white space HTML does not render, keeping the paragraph breaks.
    decoded
        .split("\n\n")
        .map(|p| {
            p.lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&i| i <= 10);
        let decoded = end.and_then(|i| {
            let name = &after[..i];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, i))
        });
        match decoded {
            Some((c, i)) => {
                out.push(c);
                rest = &after[i + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_keeps_paragraphs_and_drops_markup() {
        let html = "<h1>Coalition &amp; ISF meet</h1><p>The <b>Coalition</b> met the ISF.<br>Second line.</p><script>x()</script><p>وقال&nbsp;المتحدث: &#171;نعم&#187;</p>";
        assert_eq!(
            plain_text(Format::Html, html),
            "Coalition & ISF meet\n\nThe Coalition met the ISF.\nSecond line.\n\nوقال المتحدث: «نعم»"
        );
        assert_eq!(plain_text(Format::Html, "a < b & c"), "a < b & c");
    }

    #[test]
    fn markdown_keeps_lines_and_drops_syntax() {
        let md = "# Title\n\n**The Coalition** met [the ISF](https://example.org).\n\n- first item\n- second item";
        assert_eq!(
            plain_text(Format::Markdown, md),
            "Title\n\nThe Coalition met the ISF.\n\nfirst item\nsecond item\n"
        );
    }
}

//! One-line rustdoc from a schema `description`: the first sentence, markdown links
//! reduced to their text, whitespace collapsed, capped, and escaped so rustdoc and clippy
//! read it as plain text.

const MAX_CHARS: usize = 200;

/// `[text](url)` → `text`.
fn strip_links(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else { break };
        let text = &after[..close];
        let tail = &after[close + 1..];
        if tail.starts_with('(') && !text.contains('[') {
            if let Some(end) = tail.find(')') {
                out.push_str(&rest[..open]);
                out.push_str(text);
                rest = &tail[end + 1..];
                continue;
            }
        }
        out.push_str(&rest[..open + 1]);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The first sentence: up to the first `. ` (or `.` at the end) that does not end a
/// common abbreviation.
fn first_sentence(s: &str) -> &str {
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'.' {
            continue;
        }
        let at_end = i + 1 == bytes.len();
        if !at_end && bytes[i + 1] != b' ' {
            continue;
        }
        let word_start = s[..i].rfind(' ').map_or(0, |p| p + 1);
        let word = &s[word_start..i];
        if matches!(
            word,
            "e.g" | "i.e" | "etc" | "vs" | "approx" | "Inc" | "e.g." | "i.e."
        ) {
            continue;
        }
        return &s[..=i];
    }
    s
}

/// Escapes markdown/HTML outside code spans; keeps balanced backticks as code spans.
fn escape(s: &str) -> String {
    // CloudFormation docs write code as ``X``.
    let s = s.replace("``", "`");
    let keep_code = s.matches('`').count().is_multiple_of(2);
    let mut out = String::with_capacity(s.len() + 8);
    let mut in_code = false;
    for c in s.chars() {
        match c {
            '`' if keep_code => {
                in_code = !in_code;
                out.push(c);
            }
            '`' => out.push('\''),
            '[' | ']' | '<' | '>' | '*' | '_' | '#' | '\\' | '|' | '&' if !in_code => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Wraps bare `http(s)://` URLs in `<...>` (before escaping, which would hide them).
fn mark_urls(s: &str) -> Vec<(bool, String)> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(start) = [rest.find("http://"), rest.find("https://")]
        .into_iter()
        .flatten()
        .min()
    {
        let end = rest[start..]
            .find(|c: char| c.is_whitespace() || c == ')' || c == '`' || c == '"' || c == '\'')
            .map_or(rest.len(), |e| start + e);
        let url = rest[start..end].trim_end_matches(['.', ',', ';', ':']);
        parts.push((false, rest[..start].to_string()));
        parts.push((true, url.to_string()));
        rest = &rest[start + url.len()..];
    }
    parts.push((false, rest.to_string()));
    parts
}

/// The doc line for a description, or `None` when there is nothing useful to say.
pub fn doc_line(description: Option<&str>) -> Option<String> {
    let description = description?;
    let text = strip_links(description);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let sentence = first_sentence(&collapsed).trim();
    if sentence.is_empty() {
        return None;
    }
    let mut capped: String = sentence.chars().take(MAX_CHARS).collect();
    if capped.len() < sentence.len() {
        // Cut at a word boundary and mark the cut.
        if let Some(space) = capped.rfind(' ') {
            capped.truncate(space);
        }
        capped = capped
            .trim_end_matches([',', ';', ':', '(', '-'])
            .to_string();
        capped.push_str("...");
    }
    let mut out = String::new();
    for (is_url, part) in mark_urls(&capped) {
        if is_url {
            out.push('<');
            out.push_str(&part);
            out.push('>');
        } else {
            out.push_str(&escape(&part));
        }
    }
    // A code span the cap cut in half.
    if !out.matches('`').count().is_multiple_of(2) {
        out = out.replace('`', "'");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_without_link_urls() {
        let d = "The ``AWS::DynamoDB::Table`` resource creates a DDB table. For more information, see [CreateTable](https://docs.aws.amazon.com/x.html) in the *API Reference*.";
        assert_eq!(
            doc_line(Some(d)).unwrap(),
            "The `AWS::DynamoDB::Table` resource creates a DDB table."
        );
        assert_eq!(
            doc_line(Some("See [the guide](https://x.y/z) for\n  details")).unwrap(),
            "See the guide for details"
        );
    }

    #[test]
    fn brackets_html_and_odd_backticks_are_escaped() {
        assert_eq!(
            doc_line(Some("Use <region> or [a] with `x and *y*.")).unwrap(),
            "Use \\<region\\> or \\[a\\] with 'x and \\*y\\*."
        );
        assert_eq!(
            doc_line(Some("Pattern `[a-z]*` only.")).unwrap(),
            "Pattern `[a-z]*` only."
        );
        assert_eq!(
            doc_line(Some("See https://example.com/a_b. Then more.")).unwrap(),
            "See <https://example.com/a_b>."
        );
    }

    #[test]
    fn abbreviations_do_not_end_the_sentence_and_long_text_is_capped() {
        assert_eq!(
            doc_line(Some("Values, e.g. 5 or 6. More.")).unwrap(),
            "Values, e.g. 5 or 6."
        );
        let long = "word ".repeat(100);
        let line = doc_line(Some(&long)).unwrap();
        assert!(line.len() <= 204, "{line}");
        assert!(line.ends_with("..."));
        assert_eq!(doc_line(Some("  ")), None);
        assert_eq!(doc_line(None), None);
    }
}

//! Tokens of a Guard rules file, each with its line for error messages.
use anyhow::{bail, Result};

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// Keys, keywords (`rule`, `let`, `when`, `or`, `in`, `not`, `exists`, ...) and booleans.
    Word(String),
    /// `%name`
    Var(String),
    /// `'text'` or `"text"`
    Str(String),
    /// `/pattern/`
    Regex(String),
    Int(i64),
    /// `<<custom message>>`
    Message(String),
    /// `||`
    OrBars,
    Dot,
    Star,
    Comma,
    Assign,
    EqEq,
    NotEq,
    Bang,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Other(char),
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub line: usize,
}

pub fn tokens(text: &str) -> Result<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    while i < chars.len() {
        let c = chars[i];
        let start_line = line;
        let mut push = |tok: Tok| {
            out.push(Token {
                tok,
                line: start_line,
            })
        };
        match c {
            '\n' => {
                line += 1;
                i += 1;
            }
            c if c.is_whitespace() => i += 1,
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '<' if chars.get(i + 1) == Some(&'<') => {
                let (body, end) = delimited(&chars, i + 2, ">>", start_line)?;
                line += body.matches('\n').count();
                push(Tok::Message(body));
                i = end;
            }
            '\'' | '"' => {
                let (body, end) = delimited(&chars, i + 1, &c.to_string(), start_line)?;
                line += body.matches('\n').count();
                push(Tok::Str(body));
                i = end;
            }
            '/' => {
                let mut j = i + 1;
                let mut body = String::new();
                while j < chars.len() && chars[j] != '/' {
                    if chars[j] == '\\' && chars.get(j + 1) == Some(&'/') {
                        j += 1;
                    } else if chars[j] == '\n' {
                        bail!("line {start_line}: regex /.../ is not closed on its line");
                    }
                    body.push(chars[j]);
                    j += 1;
                }
                if j >= chars.len() {
                    bail!("line {start_line}: regex /.../ is not closed");
                }
                push(Tok::Regex(body));
                i = j + 1;
            }
            '%' => {
                let end = word_end(&chars, i + 1);
                if end == i + 1 {
                    bail!("line {start_line}: `%` must be followed by a variable name");
                }
                push(Tok::Var(chars[i + 1..end].iter().collect()));
                i = end;
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let end = (i + 1..chars.len())
                    .find(|&j| !chars[j].is_ascii_digit())
                    .unwrap_or(chars.len());
                let digits: String = chars[i..end].iter().collect();
                push(Tok::Int(digits.parse()?));
                i = end;
            }
            c if c.is_alphabetic() || c == '_' => {
                let end = word_end(&chars, i);
                push(Tok::Word(chars[i..end].iter().collect()));
                i = end;
            }
            _ => {
                let next = chars.get(i + 1).copied();
                let (tok, width) = match (c, next) {
                    ('=', Some('=')) => (Tok::EqEq, 2),
                    ('!', Some('=')) => (Tok::NotEq, 2),
                    ('|', Some('|')) => (Tok::OrBars, 2),
                    ('=', _) => (Tok::Assign, 1),
                    ('!', _) => (Tok::Bang, 1),
                    ('.', _) => (Tok::Dot, 1),
                    ('*', _) => (Tok::Star, 1),
                    (',', _) => (Tok::Comma, 1),
                    ('[', _) => (Tok::LBracket, 1),
                    (']', _) => (Tok::RBracket, 1),
                    ('{', _) => (Tok::LBrace, 1),
                    ('}', _) => (Tok::RBrace, 1),
                    (other, _) => (Tok::Other(other), 1),
                };
                push(tok);
                i += width;
            }
        }
    }
    Ok(out)
}

fn word_end(chars: &[char], from: usize) -> usize {
    (from..chars.len())
        .find(|&j| !(chars[j].is_alphanumeric() || chars[j] == '_'))
        .unwrap_or(chars.len())
}

/// Text up to `close` (exclusive) and the index just after it.
fn delimited(chars: &[char], from: usize, close: &str, line: usize) -> Result<(String, usize)> {
    let close: Vec<char> = close.chars().collect();
    let mut j = from;
    while j + close.len() <= chars.len() {
        if chars[j..j + close.len()] == close[..] {
            return Ok((chars[from..j].iter().collect(), j + close.len()));
        }
        j += 1;
    }
    let close: String = close.iter().collect();
    bail!("line {line}: missing closing {close}")
}

//! Recursive descent over the tokens. Anything outside the supported subset is an error
//! naming its line, never a rule that silently checks less than it says.
use anyhow::{anyhow, bail, Result};
use regex_lite::Regex;
use serde_json::Value;
use std::collections::HashSet;

use super::ast::*;
use super::lexer::{tokens, Tok, Token};

pub fn parse(text: &str) -> Result<File> {
    let mut parser = Parser {
        tokens: tokens(text)?,
        at: 0,
        defined: HashSet::new(),
    };
    let mut file = File {
        lets: Vec::new(),
        rules: Vec::new(),
    };
    while let Some(token) = parser.peek() {
        match &token.tok {
            Tok::Word(w) if w == "let" => {
                parser.next();
                let name = parser.word("a variable name after `let`")?;
                parser.expect(&Tok::Assign, "`=`")?;
                let query = parser.query()?;
                parser.defined.insert(name.clone());
                file.lets.push((name, query));
            }
            Tok::Word(w) if w == "rule" => file.rules.push(parser.rule()?),
            _ => return Err(parser.unexpected("`let` or `rule`")),
        }
    }
    Ok(file)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// Variables of the `let`s read so far: a rule may only use those.
    defined: HashSet<String>,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn peek_tok(&self) -> Option<&Tok> {
        self.peek().map(|t| &t.tok)
    }

    fn peek_word(&self) -> Option<&str> {
        match self.peek_tok() {
            Some(Tok::Word(w)) => Some(w),
            _ => None,
        }
    }

    fn next(&mut self) -> Option<Tok> {
        let token = self.tokens.get(self.at).map(|t| t.tok.clone());
        self.at += 1;
        token
    }

    fn line(&self) -> usize {
        self.peek()
            .or_else(|| self.tokens.last())
            .map_or(1, |t| t.line)
    }

    fn unexpected(&self, wanted: &str) -> anyhow::Error {
        match self.peek_tok() {
            Some(found) => anyhow!(
                "line {}: expected {wanted}, found {} (not in the supported Guard subset?)",
                self.line(),
                describe(found)
            ),
            None => anyhow!(
                "line {}: expected {wanted}, found the end of the file",
                self.line()
            ),
        }
    }

    fn expect(&mut self, tok: &Tok, wanted: &str) -> Result<()> {
        if self.peek_tok() == Some(tok) {
            self.next();
            Ok(())
        } else {
            Err(self.unexpected(wanted))
        }
    }

    fn word(&mut self, wanted: &str) -> Result<String> {
        match self.peek_tok() {
            Some(Tok::Word(w)) => {
                let w = w.clone();
                self.next();
                Ok(w)
            }
            _ => Err(self.unexpected(wanted)),
        }
    }

    fn rule(&mut self) -> Result<Rule> {
        self.next();
        let name = self.word("a rule name")?;
        let conditions = if self.peek_word() == Some("when") {
            self.next();
            Some(self.conjunction(&Tok::LBrace)?)
        } else {
            None
        };
        self.expect(&Tok::LBrace, "`{` opening the rule")?;
        let body = self.conjunction(&Tok::RBrace)?;
        self.expect(&Tok::RBrace, "`}` closing the rule")?;
        Ok(Rule {
            name,
            conditions,
            body,
        })
    }

    /// Clauses up to (not including) `end`; `or` joins a clause to the one before it.
    fn conjunction(&mut self, end: &Tok) -> Result<Conjunction> {
        let mut conjunction: Conjunction = Vec::new();
        while self.peek_tok().is_some_and(|t| t != end) {
            let mut disjunction = vec![self.clause()?];
            while matches!(self.peek_tok(), Some(Tok::OrBars))
                || matches!(self.peek_word(), Some("or" | "OR"))
            {
                self.next();
                disjunction.push(self.clause()?);
            }
            conjunction.push(disjunction);
        }
        if conjunction.is_empty() {
            bail!("line {}: empty block", self.line());
        }
        Ok(conjunction)
    }

    fn clause(&mut self) -> Result<Clause> {
        if self.peek_word() == Some("when") {
            self.next();
            let conditions = self.conjunction(&Tok::LBrace)?;
            self.expect(&Tok::LBrace, "`{` after the when conditions")?;
            let body = self.conjunction(&Tok::RBrace)?;
            self.expect(&Tok::RBrace, "`}` closing the when block")?;
            return Ok(Clause::When { conditions, body });
        }
        let query = self.query()?;
        if self.peek_tok() == Some(&Tok::LBrace) {
            self.next();
            let body = self.conjunction(&Tok::RBrace)?;
            self.expect(&Tok::RBrace, "`}` closing the block")?;
            return Ok(Clause::Block { query, body });
        }
        let negated = match self.peek_tok() {
            Some(Tok::Bang) => {
                self.next();
                true
            }
            Some(Tok::Word(w)) if w == "not" => {
                self.next();
                true
            }
            _ => false,
        };
        let clause = match self.next() {
            Some(Tok::EqEq) if !negated => self.binary(query, BinaryOp::Eq, false)?,
            Some(Tok::NotEq) if !negated => self.binary(query, BinaryOp::Eq, true)?,
            Some(Tok::Word(w)) => match w.as_str() {
                "in" => self.binary(query, BinaryOp::In, negated)?,
                "exists" => unary(query, UnaryOp::Exists, negated),
                "empty" => unary(query, UnaryOp::Empty, negated),
                "is_string" => unary(query, UnaryOp::IsString, negated),
                "is_list" => unary(query, UnaryOp::IsList, negated),
                "is_struct" => unary(query, UnaryOp::IsStruct, negated),
                _ => {
                    self.at -= 1;
                    return Err(self.unexpected("an operator"));
                }
            },
            _ => {
                self.at -= 1;
                return Err(self.unexpected("an operator (==, !=, in, exists, empty, is_string)"));
            }
        };
        Ok(self.with_message(clause))
    }

    fn binary(&mut self, query: Query, op: BinaryOp, negated: bool) -> Result<Clause> {
        let line = self.line();
        let rhs = match self.peek_tok() {
            Some(Tok::Var(_)) => Rhs::Query(self.query()?),
            _ => Rhs::Literal(self.literal()?),
        };
        match (&rhs, op, negated) {
            (Rhs::Literal(Literal::Value(Value::Array(_))), BinaryOp::In, _) => {}
            (Rhs::Query(_), BinaryOp::In, false) => {}
            (_, BinaryOp::In, _) => {
                bail!("line {line}: `in` takes a [list] (or, not negated, a %variable)")
            }
            (Rhs::Query(_), BinaryOp::Eq, _) => {
                bail!("line {line}: comparing with a query is not supported; use `in %var`")
            }
            _ => {}
        }
        Ok(Clause::Binary {
            query,
            op,
            negated,
            rhs,
            message: None,
        })
    }

    fn with_message(&mut self, mut clause: Clause) -> Clause {
        if let Some(Tok::Message(text)) = self.peek_tok() {
            let text = text.clone();
            self.next();
            if let Clause::Unary { message, .. } | Clause::Binary { message, .. } = &mut clause {
                *message = Some(text);
            }
        }
        clause
    }

    fn literal(&mut self) -> Result<Literal> {
        let line = self.line();
        Ok(match self.next() {
            Some(Tok::Str(s)) => Literal::Value(Value::String(s)),
            Some(Tok::Int(i)) => Literal::Value(Value::from(i)),
            Some(Tok::Word(w)) if w == "true" || w == "false" => {
                Literal::Value(Value::Bool(w == "true"))
            }
            Some(Tok::Regex(pattern)) => Literal::Regex(
                Regex::new(&pattern)
                    .map_err(|e| anyhow!("line {line}: bad regex /{pattern}/: {e}"))?,
            ),
            Some(Tok::LBracket) => {
                let mut items = Vec::new();
                while self.peek_tok() != Some(&Tok::RBracket) {
                    match self.literal()? {
                        Literal::Value(v) => items.push(v),
                        Literal::Regex(_) => {
                            bail!("line {line}: regexes in lists are not supported")
                        }
                    }
                    if self.peek_tok() == Some(&Tok::Comma) {
                        self.next();
                    }
                }
                self.next();
                Literal::Value(Value::Array(items))
            }
            _ => {
                self.at -= 1;
                return Err(
                    self.unexpected("a value ('text', true, 1, /regex/, [list] or %variable)")
                );
            }
        })
    }

    fn query(&mut self) -> Result<Query> {
        let (start, mut parts) = match self.next() {
            Some(Tok::Var(name)) if self.defined.contains(&name) => {
                (Start::Variable(name), Vec::new())
            }
            Some(Tok::Var(name)) => {
                bail!(
                    "line {}: %{name} is not defined by a `let` above",
                    self.line()
                )
            }
            Some(Tok::Word(w)) if w == "this" => (Start::This, Vec::new()),
            Some(Tok::Word(w)) if !is_keyword(&w) => (Start::This, vec![Part::Key(w)]),
            _ => {
                self.at -= 1;
                return Err(self.unexpected("a query (a key, %variable or this)"));
            }
        };
        loop {
            match self.peek_tok() {
                Some(Tok::Dot) => {
                    self.next();
                    parts.push(match self.next() {
                        Some(Tok::Star) => Part::AllValues,
                        Some(Tok::Word(w)) | Some(Tok::Str(w)) => Part::Key(w),
                        _ => {
                            self.at -= 1;
                            return Err(self.unexpected("a key or `*` after `.`"));
                        }
                    });
                }
                Some(Tok::LBracket) => {
                    self.next();
                    parts.push(match self.peek_tok() {
                        Some(Tok::Star) => {
                            self.next();
                            Part::AllIndices
                        }
                        Some(&Tok::Int(i)) if i >= 0 => {
                            self.next();
                            Part::Index(i as usize)
                        }
                        _ if parts.is_empty() => {
                            bail!(
                                "line {}: a filter must follow a key, `.*` or `[*]`",
                                self.line()
                            )
                        }
                        _ => Part::Filter(self.conjunction(&Tok::RBracket)?),
                    });
                    self.expect(&Tok::RBracket, "`]`")?;
                }
                _ => return Ok(Query { start, parts }),
            }
        }
    }
}

fn unary(query: Query, op: UnaryOp, negated: bool) -> Clause {
    Clause::Unary {
        query,
        op,
        negated,
        message: None,
    }
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "let" | "rule" | "when" | "or" | "OR" | "not" | "in" | "exists" | "empty" | "some" | "keys"
    )
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Word(w) => format!("`{w}`"),
        Tok::Var(v) => format!("`%{v}`"),
        Tok::Str(s) => format!("'{s}'"),
        Tok::Regex(r) => format!("/{r}/"),
        Tok::Int(i) => i.to_string(),
        Tok::Message(_) => "a <<message>>".into(),
        Tok::Other(c) => format!("`{c}`"),
        other => format!("{other:?}"),
    }
}

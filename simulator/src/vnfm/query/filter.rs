//! SOL013 §5.2 attribute-based filtering: `(op,attrPath,value[,value…])` terms joined by `;`,
//! all of which must hold. Attribute paths use `/`; an array on the path matches when any of
//! its elements does. Values containing `,` `)` or `'` are written in single quotes, a quote
//! inside them doubled.

use serde_json::Value;

/// The comparison of one term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operator {
    Eq,
    Neq,
    In,
    Nin,
    Gt,
    Gte,
    Lt,
    Lte,
    Cont,
    Ncont,
}

impl Operator {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "eq" => Self::Eq,
            "neq" => Self::Neq,
            "in" => Self::In,
            "nin" => Self::Nin,
            "gt" => Self::Gt,
            "gte" => Self::Gte,
            "lt" => Self::Lt,
            "lte" => Self::Lte,
            "cont" => Self::Cont,
            "ncont" => Self::Ncont,
            _ => return None,
        })
    }

    fn takes_many_values(self) -> bool {
        matches!(self, Self::In | Self::Nin | Self::Cont | Self::Ncont)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Term {
    operator: Operator,
    path: Vec<String>,
    values: Vec<String>,
}

/// A parsed filter expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    terms: Vec<Term>,
}

impl Filter {
    /// Parses an expression; `Err` is a 400 detail naming the problem.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut terms = Vec::new();
        let mut rest = text;
        loop {
            let (term, after) = parse_term(rest)?;
            terms.push(term);
            if after.is_empty() {
                break;
            }
            rest = after
                .strip_prefix(';')
                .ok_or_else(|| format!("filter: expected ';' between terms, found {after:?}"))?;
        }
        Ok(Self { terms })
    }

    /// The value of the single `eq` term on `path`, if the filter has one (lets callers use
    /// an index instead of a scan).
    pub fn equality_on(&self, path: &str) -> Option<&str> {
        self.terms
            .iter()
            .find(|term| term.operator == Operator::Eq && term.path.join("/") == path)
            .map(|term| term.values[0].as_str())
    }

    /// Whether `item` satisfies every term.
    pub fn matches(&self, item: &Value) -> bool {
        self.terms.iter().all(|term| term_matches(term, item))
    }
}

fn parse_term(text: &str) -> Result<(Term, &str), String> {
    let body = text
        .strip_prefix('(')
        .ok_or_else(|| format!("filter: a term must start with '(', found {text:?}"))?;
    let mut fields: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut chars = body.char_indices().peekable();
    let mut quoted_field = false;
    while let Some((index, ch)) = chars.next() {
        match ch {
            '\'' if current.is_empty() && !quoted_field => {
                quoted_field = true;
                loop {
                    match chars.next() {
                        Some((_, '\'')) if chars.peek().map(|(_, next)| *next) == Some('\'') => {
                            chars.next();
                            current.push('\'');
                        }
                        Some((_, '\'')) => break,
                        Some((_, other)) => current.push(other),
                        None => return Err("filter: unterminated quoted value".into()),
                    }
                }
            }
            ',' => {
                fields.push(std::mem::take(&mut current));
                quoted_field = false;
            }
            ')' => {
                fields.push(std::mem::take(&mut current));
                return Ok((build_term(fields)?, &body[index + 1..]));
            }
            other if quoted_field => {
                return Err(format!("filter: unexpected {other:?} after a quoted value"));
            }
            other => current.push(other),
        }
    }
    Err(format!("filter: missing ')' in {text:?}"))
}

fn build_term(fields: Vec<String>) -> Result<Term, String> {
    let mut fields = fields.into_iter();
    let operator_text = fields.next().unwrap_or_default();
    let operator = Operator::parse(&operator_text).ok_or_else(|| {
        format!("filter: unknown operator {operator_text:?}; use eq, neq, in, nin, gt, gte, lt, lte, cont or ncont")
    })?;
    let path_text = fields
        .next()
        .ok_or("filter: a term needs an attribute path")?;
    let path: Vec<String> = path_text.split('/').map(str::to_string).collect();
    if path.iter().any(String::is_empty) {
        return Err(format!("filter: invalid attribute path {path_text:?}"));
    }
    let values: Vec<String> = fields.collect();
    if values.is_empty() {
        return Err(format!(
            "filter: operator {operator_text} on {path_text} needs a value"
        ));
    }
    if values.len() > 1 && !operator.takes_many_values() {
        return Err(format!(
            "filter: operator {operator_text} takes exactly one value"
        ));
    }
    Ok(Term {
        operator,
        path,
        values,
    })
}

/// The leaf values at `path`, arrays on the way flattened.
fn leaves<'a>(item: &'a Value, path: &[String], out: &mut Vec<&'a Value>) {
    match item {
        Value::Array(items) => items.iter().for_each(|item| leaves(item, path, out)),
        _ => match path {
            [] => out.push(item),
            [first, rest @ ..] => {
                if let Some(child) = item.get(first) {
                    leaves(child, rest, out);
                }
            }
        },
    }
}

fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn equals(leaf: &Value, value: &str) -> bool {
    match leaf {
        Value::Number(number) => match (number.as_f64(), value.parse::<f64>()) {
            (Some(left), Ok(right)) => left == right,
            _ => false,
        },
        other => as_text(other).is_some_and(|text| text == value),
    }
}

fn compare(leaf: &Value, value: &str) -> Option<std::cmp::Ordering> {
    match leaf {
        Value::Number(number) => number.as_f64()?.partial_cmp(&value.parse::<f64>().ok()?),
        Value::String(text) => Some(text.as_str().cmp(value)),
        _ => None,
    }
}

fn term_matches(term: &Term, item: &Value) -> bool {
    let mut found = Vec::new();
    leaves(item, &term.path, &mut found);
    let any = |test: &dyn Fn(&Value) -> bool| found.iter().any(|leaf| test(leaf));
    let first = term.values[0].as_str();
    use std::cmp::Ordering::*;
    match term.operator {
        Operator::Eq => any(&|leaf| equals(leaf, first)),
        Operator::Neq => !any(&|leaf| equals(leaf, first)),
        Operator::In => any(&|leaf| term.values.iter().any(|value| equals(leaf, value))),
        Operator::Nin => !any(&|leaf| term.values.iter().any(|value| equals(leaf, value))),
        Operator::Gt => any(&|leaf| compare(leaf, first) == Some(Greater)),
        Operator::Gte => any(&|leaf| matches!(compare(leaf, first), Some(Greater | Equal))),
        Operator::Lt => any(&|leaf| compare(leaf, first) == Some(Less)),
        Operator::Lte => any(&|leaf| matches!(compare(leaf, first), Some(Less | Equal))),
        Operator::Cont => any(&|leaf| {
            as_text(leaf).is_some_and(|text| {
                term.values
                    .iter()
                    .any(|value| text.contains(value.as_str()))
            })
        }),
        Operator::Ncont => !any(&|leaf| {
            as_text(leaf).is_some_and(|text| {
                term.values
                    .iter()
                    .any(|value| text.contains(value.as_str()))
            })
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_and_matches_nested_and_quoted_terms() {
        let item = json!({"id": "a", "vnfSnapshot": {"vnfInstanceId": "x,y"}, "tags": [{"n": 3}]});
        assert!(
            Filter::parse("(eq,id,a);(eq,vnfSnapshot/vnfInstanceId,'x,y')")
                .unwrap()
                .matches(&item)
        );
        assert!(Filter::parse("(gt,tags/n,2)").unwrap().matches(&item));
        assert!(Filter::parse("(in,id,b,a)").unwrap().matches(&item));
        assert!(!Filter::parse("(neq,id,a)").unwrap().matches(&item));
        assert!(Filter::parse("(cont,id,a);(ncont,id,z)")
            .unwrap()
            .matches(&item));
        assert!(!Filter::parse("(eq,missing,a)").unwrap().matches(&item));
    }

    #[test]
    fn rejects_malformed_expressions() {
        for bad in [
            "eq,id,a",
            "(eq,id,a",
            "(foo,id,a)",
            "(eq,id)",
            "(eq,id,a,b)",
            "(eq,,a)",
            "(eq,id,a)(eq,id,b)",
            "(eq,id,'a)",
        ] {
            assert!(Filter::parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}

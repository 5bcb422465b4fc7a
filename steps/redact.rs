//! Makes response bodies stable for snapshots: UUIDs (dashed, or 32 hex digits as Keystone
//! writes them) become `[id-1]`, `[id-2]`… in order of first appearance (so equal ids stay
//! visibly equal), timestamps become `[timestamp]` and URL ports become `[port]`.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// The id placeholders of one scenario, shared by all its snapshots.
#[derive(Debug, Default)]
pub struct Redactor {
    ids: HashMap<String, usize>,
    /// Opaque server tokens (ETags…) and their placeholders.
    opaque: Vec<(String, String)>,
}

impl Redactor {
    /// Replaces `token` wherever it appears by `[<kind>-N]`.
    pub fn name_opaque(&mut self, token: &str, kind: &str) {
        if !token.is_empty() && !self.opaque.iter().any(|(t, _)| t == token) {
            let prefix = format!("[{kind}-");
            let n = self
                .opaque
                .iter()
                .filter(|(_, p)| p.starts_with(&prefix))
                .count()
                + 1;
            self.opaque
                .push((token.to_string(), format!("{prefix}{n}]")));
        }
    }

    /// A redacted copy of `value`.
    pub fn redact(&mut self, value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.redact(v)).collect()),
            Value::Object(map) => {
                let mut out = Map::new();
                for (key, v) in map {
                    let key = self.text(key);
                    out.insert(key, self.redact(v));
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }

    fn text(&mut self, s: &str) -> String {
        if chrono::DateTime::parse_from_rfc3339(s).is_ok()
            || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        {
            return "[timestamp]".to_string();
        }
        let mut text = s.to_string();
        for (token, placeholder) in &self.opaque {
            text = text.replace(token.as_str(), placeholder);
        }
        redact_ports(&self.redact_uuids(&text))
    }

    fn redact_uuids(&mut self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        let mut after_word = false;
        while !rest.is_empty() {
            let id = [36, 32]
                .into_iter()
                .filter(|_| !after_word)
                .find_map(|len| rest.get(..len).filter(|c| is_id(c, &rest[len..])));
            if let Some(id) = id {
                let next = self.ids.len() + 1;
                let n = *self.ids.entry(id.to_ascii_lowercase()).or_insert(next);
                out.push_str(&format!("[id-{n}]"));
                rest = &rest[id.len()..];
                after_word = false;
            } else {
                let c = rest.chars().next().expect("non-empty");
                out.push(c);
                rest = &rest[c.len_utf8()..];
                after_word = c.is_ascii_alphanumeric();
            }
        }
        out
    }
}

/// A dashed UUID, or 32 hex digits, not followed by more of a word.
fn is_id(candidate: &str, following: &str) -> bool {
    let whole_word = !following.starts_with(|c: char| c.is_ascii_alphanumeric());
    let shape = match candidate.len() {
        36 => candidate.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        }),
        32 => candidate.chars().all(|c| c.is_ascii_hexdigit()),
        _ => false,
    };
    whole_word && shape
}

/// Replaces the port of every `scheme://host:port` in `s`.
fn redact_ports(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let end = tail.find(['/', '?', '#', ' ', '"']).unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rsplit_once(':') {
            Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
                out.push_str(host);
                out.push_str(":[port]");
            }
            _ => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

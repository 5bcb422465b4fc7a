//! Neutron list queries over rendered views: filters by attribute (repeated keys match any of
//! their values; `fixed_ips=ip_address=...` / `subnet_id=...` for ports), `fields`, sorting
//! (`sort_key` / `sort_dir`) and paging (`limit`, `marker`, `page_reverse`, with
//! `<collection>_links`).

use std::cmp::Ordering;

use serde_json::{json, Value};

use crate::openstack::error::CloudError;

/// The query parameters of a request, repeated keys kept in order.
pub type Params = Vec<(String, String)>;

const CONTROL: [&str; 6] = [
    "fields",
    "sort_key",
    "sort_dir",
    "limit",
    "marker",
    "page_reverse",
];

fn values<'a>(params: &'a Params, key: &str) -> Vec<&'a str> {
    params
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn scalar_matches(value: &Value, wanted: &str) -> bool {
    match value {
        Value::String(s) => s == wanted,
        Value::Bool(b) => wanted.eq_ignore_ascii_case(&b.to_string()),
        Value::Number(n) => n.to_string() == wanted,
        Value::Null => wanted.is_empty() || wanted == "None",
        _ => false,
    }
}

/// `fixed_ips=ip_address=10.0.0.5` (or `subnet_id=...`, `ip_address_substr=...`).
fn fixed_ip_matches(fixed_ips: &Value, wanted: &str) -> bool {
    let Some((key, expected)) = wanted.split_once('=') else {
        return false;
    };
    fixed_ips
        .as_array()
        .into_iter()
        .flatten()
        .any(|ip| match key {
            "ip_address_substr" => ip["ip_address"]
                .as_str()
                .is_some_and(|a| a.contains(expected)),
            _ => ip[key].as_str() == Some(expected),
        })
}

fn matches(item: &Value, key: &str, wanted: &[&str]) -> bool {
    let value = &item[key];
    wanted.iter().any(|w| match value {
        Value::Array(list) if key == "fixed_ips" => {
            fixed_ip_matches(&Value::Array(list.clone()), w)
        }
        Value::Array(list) => list.iter().any(|v| scalar_matches(v, w)),
        other => scalar_matches(other, w),
    })
}

fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Less,
        (_, Value::Null) => Ordering::Greater,
        _ => a.to_string().cmp(&b.to_string()),
    }
}

/// Keeps only the `fields` asked for (every field when none are).
pub fn project(item: Value, params: &Params) -> Value {
    let fields = values(params, "fields");
    if fields.is_empty() {
        return item;
    }
    match item {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| fields.contains(&k.as_str()))
                .collect(),
        ),
        other => other,
    }
}

fn bad(message: impl Into<String>) -> CloudError {
    CloudError::bad_request(message)
}

/// The body of a list: `{collection: [...]}` filtered, sorted and paged as asked, with
/// `<collection>_links` when paged; `base` is the absolute URL of the collection.
pub fn list(
    collection: &str,
    base: &str,
    mut items: Vec<Value>,
    params: &Params,
) -> Result<Value, CloudError> {
    let mut filter_keys: Vec<&str> = params
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !CONTROL.contains(k))
        .collect();
    filter_keys.dedup();
    for key in &filter_keys {
        if let Some(first) = items.first() {
            if first.get(*key).is_none() {
                return Err(bad(format!("[{key}] is invalid attribute for filtering")));
            }
        }
        let wanted = values(params, key);
        items.retain(|item| matches(item, key, &wanted));
    }

    let sort_keys = values(params, "sort_key");
    let sort_dirs = values(params, "sort_dir");
    if sort_keys.len() < sort_dirs.len() {
        return Err(bad("The number of sort_keys and sort_dirs must be same"));
    }
    let mut order: Vec<(&str, bool)> = Vec::new();
    for (index, key) in sort_keys.iter().enumerate() {
        if items.first().is_some_and(|first| first.get(*key).is_none()) {
            return Err(bad(format!("{key} is invalid attribute for sort_key")));
        }
        let ascending = match sort_dirs.get(index).copied().unwrap_or("asc") {
            "asc" => true,
            "desc" => false,
            other => {
                return Err(bad(format!(
                    "{other} is invalid value for sort_dir, valid values are 'asc' and 'desc'"
                )))
            }
        };
        order.push((key, ascending));
    }
    if !order.is_empty() {
        let last_ascending = order.last().is_none_or(|(_, asc)| *asc);
        order.push(("id", last_ascending));
        items.sort_by(|a, b| {
            order
                .iter()
                .map(|(key, asc)| {
                    let ordering = compare(&a[*key], &b[*key]);
                    if *asc {
                        ordering
                    } else {
                        ordering.reverse()
                    }
                })
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
        });
    }

    let limit = match values(params, "limit").first() {
        None => 0,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|l| *l >= 0)
            .ok_or_else(|| {
                bad(format!(
                    "Bad limit request: Limit must be an integer 0 or greater and not '{text}'"
                ))
            })? as usize,
    };
    let reverse = values(params, "page_reverse")
        .first()
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let marker = values(params, "marker").first().map(|m| m.to_string());
    if reverse {
        items.reverse();
    }
    if let Some(marker) = &marker {
        let position = items
            .iter()
            .position(|i| i["id"].as_str() == Some(marker.as_str()))
            .ok_or_else(|| CloudError::not_found(format!("Marker {marker} could not be found.")))?;
        items.drain(..=position);
    }
    let full = limit > 0 && items.len() > limit;
    if limit > 0 {
        items.truncate(limit);
    }
    if reverse {
        items.reverse();
    }
    let mut links = Vec::new();
    if limit > 0 {
        let link = |rel: &str, marker: &str, reverse_page: bool| {
            let mut pairs: Vec<(String, String)> = params
                .iter()
                .filter(|(k, _)| k != "marker" && k != "page_reverse")
                .cloned()
                .collect();
            pairs.push(("marker".to_string(), marker.to_string()));
            if reverse_page {
                pairs.push(("page_reverse".to_string(), "True".to_string()));
            }
            let query = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish();
            json!({"rel": rel, "href": format!("{base}?{query}")})
        };
        let (first, last) = (
            items.first().and_then(|i| i["id"].as_str()),
            items.last().and_then(|i| i["id"].as_str()),
        );
        let more_after = if reverse { marker.is_some() } else { full };
        let more_before = if reverse { full } else { marker.is_some() };
        if let (true, Some(last)) = (more_after, last) {
            links.push(link("next", last, false));
        }
        if let (true, Some(first)) = (more_before, first) {
            links.push(link("previous", first, true));
        }
    }
    let items: Vec<Value> = items.into_iter().map(|i| project(i, params)).collect();
    let mut body = json!({ collection: items });
    if !links.is_empty() {
        body[format!("{collection}_links")] = Value::Array(links);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn filters_sorts_and_pages() {
        let items: Vec<Value> = ["c", "a", "b"]
            .iter()
            .map(|n| json!({"id": format!("id-{n}"), "name": n, "shared": false}))
            .collect();
        let sorted = list(
            "networks",
            "http://x/networks",
            items.clone(),
            &params(&[("sort_key", "name"), ("sort_dir", "desc")]),
        )
        .unwrap();
        assert_eq!(sorted["networks"][0]["name"], "c");
        let filtered = list(
            "networks",
            "",
            items.clone(),
            &params(&[("name", "a"), ("name", "b"), ("fields", "name")]),
        )
        .unwrap();
        assert_eq!(filtered["networks"], json!([{"name": "a"}, {"name": "b"}]));
        let paged = list(
            "networks",
            "http://x/n",
            items.clone(),
            &params(&[("limit", "2")]),
        )
        .unwrap();
        assert_eq!(paged["networks"].as_array().unwrap().len(), 2);
        assert_eq!(paged["networks_links"][0]["rel"], "next");
        assert!(list("networks", "", items, &params(&[("color", "red")])).is_err());
    }
}

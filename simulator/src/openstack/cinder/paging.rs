//! Cinder lists: filters, `limit`/`marker` paging, the `*_links` next link and `count`.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::openstack::{error::CloudError, microversion::Microversion, wire::next_links};

/// Largest page Cinder returns (`osapi_max_limit`).
pub const MAX_LIMIT: usize = 1000;

/// Something listed with a creation time and an id.
pub trait Listed {
    fn id(&self) -> &str;
    fn created_ms(&self) -> u64;
    /// The value of a filterable attribute.
    fn attribute(&self, name: &str) -> Option<String>;
}

/// Filters (exact match on the given attributes), sorts newest first, then pages.
/// Returns the page and, when the page is full, the marker for the next one.
pub fn page<'a, T: Listed>(
    items: impl Iterator<Item = &'a T>,
    query: &HashMap<String, String>,
    filters: &[&str],
) -> Result<(Vec<&'a T>, Option<String>), CloudError> {
    let mut matching: Vec<&T> = items
        .filter(|item| {
            filters.iter().all(|name| {
                query
                    .get(*name)
                    .is_none_or(|wanted| item.attribute(name).as_deref() == Some(wanted.as_str()))
            })
        })
        .collect();
    matching.sort_by(|a, b| b.created_ms().cmp(&a.created_ms()).then(b.id().cmp(a.id())));
    if let Some(marker) = query.get("marker") {
        let position = matching
            .iter()
            .position(|item| item.id() == marker)
            .ok_or_else(|| CloudError::not_found(format!("Marker {marker} could not be found.")))?;
        matching.drain(..=position);
    }
    let limit = match query.get("limit") {
        Some(text) => text.parse::<usize>().map_err(|_| {
            CloudError::bad_request(format!(
                "Invalid input received: limit must be an integer, got {text}"
            ))
        })?,
        None => MAX_LIMIT,
    }
    .min(MAX_LIMIT);
    let full = matching.len() > limit;
    matching.truncate(limit);
    let next = if full {
        matching.last().map(|i| i.id().to_string())
    } else {
        None
    };
    Ok((matching, next))
}

/// The body of a list: the page of `items` under `collection`, its `<collection>_links` next
/// link (pointing at `list_url`) and, with `with_count=true` from 3.45, the total `count`.
pub fn list_body<T: Listed>(
    items: Vec<&T>,
    query: &HashMap<String, String>,
    filters: &[&str],
    collection: &str,
    list_url: &str,
    version: Microversion,
    render: impl Fn(&T) -> Value,
) -> Result<Value, CloudError> {
    let total = items.len();
    let (page, next) = page(items.into_iter(), query, filters)?;
    let mut body = json!({ collection: page.into_iter().map(render).collect::<Vec<_>>() });
    if let Some(marker) = next {
        body[format!("{collection}_links")] = next_links(list_url, query, &marker);
    }
    if query.get("with_count").is_some_and(|v| v == "true") && version >= Microversion(3, 45) {
        body["count"] = json!(total);
    }
    Ok(body)
}

//! Cinder lists: filters, sorting (`sort=key:dir,...` or `sort_key`/`sort_dir`), `marker`,
//! `offset` and `limit` paging, the `*_links` next link and `count`.

use std::{cmp::Ordering, collections::HashMap};

use serde::Serialize;

use super::fail;
use crate::openstack::handler_prelude::*;
use crate::openstack::wire::next_links;

/// Largest page Cinder returns (`osapi_max_limit`).
pub const MAX_LIMIT: usize = 1000;

/// Something listed with a creation time and an id.
pub trait Listed {
    fn id(&self) -> &str;
    fn created_ms(&self) -> u64;
    /// The value of a filterable attribute.
    fn attribute(&self, name: &str) -> Option<String>;
}

/// Keys a list may be sorted by.
const SORT_KEYS: [&str; 5] = ["created_at", "id", "name", "status", "size"];

/// The requested sort keys and whether each is descending; Cinder's default is
/// `created_at:desc,id:desc`, and a key without a direction is descending.
fn sort_order(query: &HashMap<String, String>) -> Result<Vec<(String, bool)>, CloudError> {
    let pairs: Vec<(String, Option<String>)> = match (query.get("sort"), query.get("sort_key")) {
        (Some(_), Some(_)) => {
            return Err(CloudError::bad_request(
                "Invalid input received: The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.",
            ))
        }
        (Some(sort), None) => sort
            .split(',')
            .map(|entry| match entry.split_once(':') {
                Some((key, dir)) => (key.trim().to_string(), Some(dir.trim().to_string())),
                None => (entry.trim().to_string(), None),
            })
            .collect(),
        (None, Some(key)) => vec![(key.clone(), query.get("sort_dir").cloned())],
        (None, None) => vec![("created_at".into(), None), ("id".into(), None)],
    };
    pairs
        .into_iter()
        .map(|(key, dir)| {
            // `display_name` is the column behind `name`.
            let key = if key == "display_name" {
                "name".to_string()
            } else {
                key
            };
            if !SORT_KEYS.contains(&key.as_str()) {
                return Err(CloudError::bad_request(
                    "Invalid input received: Invalid sort key",
                ));
            }
            match dir.as_deref().map(str::to_ascii_lowercase).as_deref() {
                None | Some("desc") => Ok((key, true)),
                Some("asc") => Ok((key, false)),
                Some(_) => Err(CloudError::bad_request(
                    "Invalid input received: Unknown sort direction, must be 'desc' or 'asc'",
                )),
            }
        })
        .collect()
}

fn compare<T: Listed>(a: &T, b: &T, key: &str) -> Ordering {
    match key {
        "created_at" => a.created_ms().cmp(&b.created_ms()),
        "id" => a.id().cmp(b.id()),
        _ => {
            let (x, y) = (a.attribute(key), b.attribute(key));
            let numbers = x
                .as_deref()
                .and_then(|x| x.parse::<u64>().ok())
                .zip(y.as_deref().and_then(|y| y.parse::<u64>().ok()));
            match numbers {
                Some((x, y)) => x.cmp(&y),
                None => x.cmp(&y),
            }
        }
    }
}

fn number(query: &HashMap<String, String>, name: &str) -> Result<Option<usize>, CloudError> {
    query
        .get(name)
        .map(|text| {
            text.parse::<usize>().map_err(|_| {
                CloudError::bad_request(format!(
                    "Invalid input received: {name} must be an integer, got {text}"
                ))
            })
        })
        .transpose()
}

/// Filters (exact match on the given attributes), sorts, then pages (`marker`, `offset`,
/// `limit`). Returns the page and, when the page is full, the marker for the next one.
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
    let order = sort_order(query)?;
    matching.sort_by(|a, b| {
        order
            .iter()
            .fold(Ordering::Equal, |so_far, (key, descending)| {
                so_far.then_with(|| {
                    let ordering = compare(*a, *b, key);
                    if *descending {
                        ordering.reverse()
                    } else {
                        ordering
                    }
                })
            })
    });
    if let Some(marker) = query.get("marker") {
        let position = matching
            .iter()
            .position(|item| item.id() == marker)
            .ok_or_else(|| CloudError::not_found(format!("Marker {marker} could not be found.")))?;
        matching.drain(..=position);
    }
    let offset = number(query, "offset")?.unwrap_or(0);
    matching.drain(..offset.min(matching.len()));
    let limit = number(query, "limit")?.unwrap_or(MAX_LIMIT).min(MAX_LIMIT);
    matching.truncate(limit);
    // Like Cinder's `_get_collection_links`: a full page links to the next one.
    let next = if limit > 0 && matching.len() == limit {
        matching.last().map(|i| i.id().to_string())
    } else {
        None
    };
    Ok((matching, next))
}

/// What a list answers: `collection` (`volumes`) of project `project_id`, as summaries or
/// `detailed`, at the negotiated `version`.
pub struct Listing<'a> {
    /// The cloud, for the public URL.
    pub cloud: &'a Cloud,
    /// The caller's project (in the URL).
    pub project_id: &'a str,
    /// The collection key and path segment.
    pub collection: &'a str,
    /// The `/detail` list.
    pub detailed: bool,
    /// The negotiated microversion.
    pub version: Microversion,
}

impl<'a> Listing<'a> {
    /// The list of `collection` that `call` asks for, in the caller's project.
    pub fn new(call: &'a Call<Microversion>, collection: &'a str, detailed: bool) -> Self {
        Self {
            cloud: &call.cloud,
            project_id: &call.scope.project_id,
            collection,
            detailed,
            version: call.version,
        }
    }
}

/// The list answer of `items` (filtered, sorted and paged by the query), each rendered by
/// `render`, with the next link to `.../{collection}[/detail]`.
pub fn list_answer<'a, T: Listed, R: Serialize>(
    listing: &Listing<'_>,
    items: Vec<&'a T>,
    query: &HashMap<String, String>,
    filters: &[&str],
    render: impl Fn(&'a T) -> R,
) -> Response {
    let Listing {
        cloud,
        project_id,
        collection,
        detailed,
        version,
    } = *listing;
    let suffix = if detailed { "/detail" } else { "" };
    let url = format!(
        "{}/volume/v3/{project_id}/{collection}{suffix}",
        cloud.public_url()
    );
    match list_body(items, query, filters, collection, &url, version, render) {
        Ok(body) => Json(body).into_response(),
        Err(error) => fail(error),
    }
}

/// The body of a list: the page of `items` under `collection`, its `<collection>_links` next
/// link (pointing at `list_url`) and, with `with_count=true` from 3.45, the total `count`.
fn list_body<'a, T: Listed, R: Serialize>(
    items: Vec<&'a T>,
    query: &HashMap<String, String>,
    filters: &[&str],
    collection: &str,
    list_url: &str,
    version: Microversion,
    render: impl Fn(&'a T) -> R,
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

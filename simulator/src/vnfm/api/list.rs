//! One page of a list resource, filtered and selected, with the `Link` to the next page; or,
//! where the profile does not page, the whole list, newest first.

use std::collections::BTreeSet;

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, HeaderValue},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::Value;

use super::AppState;
use crate::vnfm::{
    config::VnfmConfig,
    error::VnfmError,
    profile::Listing,
    query::{ListQuery, PageMarker},
    store::Collection,
};

/// The query of a list request, parsed for the profile's [`Listing`] (400 when malformed).
pub struct Query(pub ListQuery);

impl FromRequestParts<AppState> for Query {
    type Rejection = VnfmError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let listing = state.services.config.choices().listing;
        ListQuery::parse(parts.uri.query(), listing)
            .map(Self)
            .map_err(VnfmError::InvalidQuery)
    }
}

/// How to present one collection.
pub struct ListSpec<'a, T> {
    /// Attributes excluded by default (`/`-separated paths).
    pub defaults: &'a [&'a str],
    /// The optional complex attributes `exclude_fields` may name (`/`-separated paths);
    /// naming another one (a mandatory or simple attribute, or an unknown one) is refused.
    pub excludable: &'a [&'a str],
    /// A cheap test on the record before rendering (`false` skips it).
    pub prefilter: &'a dyn Fn(&T) -> bool,
    /// The full representation of one record.
    pub render: &'a dyn Fn(&T) -> Value,
    /// Absolute URL of the list resource.
    pub url: String,
}

/// Answers 200 with the page as a JSON array (and `Link: <…>; rel="next"` when more remain),
/// or with the whole list, as the profile's [`Listing`] says.
pub fn page<T>(
    collection: &Collection<T>,
    query: &ListQuery,
    config: &VnfmConfig,
    spec: ListSpec<'_, T>,
) -> Result<Response, VnfmError> {
    // A filter naming one id needs no scan.
    let only = query
        .filter
        .as_ref()
        .and_then(|filter| filter.equality_on("id"));
    match config.choices().listing {
        Listing::PagedOldestFirst => {
            let start = start_of(collection, query)?;
            let candidates: Box<dyn Iterator<Item = (u64, &T)>> = match only {
                Some(id) => Box::new(collection.entry_from(id, start).into_iter()),
                None => Box::new(collection.iter_from(start)),
            };
            page_from(candidates, query, Some(config.page_size), spec)
        }
        Listing::WholeNewestFirst => {
            let candidates: Box<dyn Iterator<Item = (u64, &T)>> = match only {
                Some(id) => Box::new(collection.entry_from(id, 0).into_iter()),
                None => Box::new(collection.iter_newest_first()),
            };
            page_from(candidates, query, None, spec)
        }
    }
}

/// [`page`] reading only the items at `candidates` (an index of the prefilter), so that its
/// cost does not grow with the collection.
pub fn page_among<T>(
    collection: &Collection<T>,
    candidates: &BTreeSet<u64>,
    query: &ListQuery,
    config: &VnfmConfig,
    spec: ListSpec<'_, T>,
) -> Result<Response, VnfmError> {
    let at = |&position: &u64| Some((position, collection.at(position)?));
    match config.choices().listing {
        Listing::PagedOldestFirst => {
            let start = start_of(collection, query)?;
            let items = candidates.range(start..).filter_map(at);
            page_from(items, query, Some(config.page_size), spec)
        }
        Listing::WholeNewestFirst => {
            page_from(candidates.iter().rev().filter_map(at), query, None, spec)
        }
    }
}

/// The position the page starts at (400 for a marker this collection never gave).
fn start_of<T>(collection: &Collection<T>, query: &ListQuery) -> Result<u64, VnfmError> {
    Ok(match query.marker {
        Some(PageMarker(position)) if !collection.is_known_position(position) => {
            return Err(VnfmError::UnknownPageMarker(
                PageMarker(position).to_string(),
            ))
        }
        Some(PageMarker(position)) => position,
        None => 0,
    })
}

/// The answer with the items of `records` the query selects, at most `page_size` of them
/// (all when `None`).
fn page_from<'c, T: 'c>(
    records: impl Iterator<Item = (u64, &'c T)>,
    query: &ListQuery,
    page_size: Option<usize>,
    spec: ListSpec<'_, T>,
) -> Result<Response, VnfmError> {
    if let Some(path) = query.selector.inexcludable(spec.excludable) {
        return Err(VnfmError::InvalidQuery(format!(
            "exclude_fields names {path}, which is not an optional complex attribute of this resource (SOL013 §5.3); it can be excluded only among: {}",
            spec.excludable.join(", ")
        )));
    }
    let mut items = Vec::new();
    let mut next = None;
    for (position, record) in records {
        if !(spec.prefilter)(record) {
            continue;
        }
        let mut item = (spec.render)(record);
        if let Some(filter) = &query.filter {
            if !filter.matches(&item) {
                continue;
            }
        }
        if page_size.is_some_and(|size| items.len() == size.max(1)) {
            next = Some(PageMarker(position));
            break;
        }
        query.selector.apply(&mut item, spec.defaults);
        items.push(item);
    }
    let mut response = Json(items).into_response();
    if let Some(marker) = next {
        let link = format!(
            "<{}?{}>; rel=\"next\"",
            spec.url,
            query.next_page_query(marker)
        );
        if let Ok(value) = HeaderValue::from_str(&link) {
            response.headers_mut().insert(header::LINK, value);
        }
    }
    Ok(response)
}

//! SOL013 query support for every list: attribute-based filtering, attribute selectors and
//! paging, all working on `serde_json::Value` representations.

mod filter;
mod paging;
mod selector;

use super::profile::Listing;

pub use filter::Filter;
pub use paging::PageMarker;
pub use selector::Selector;

/// The SOL013 parameters of one list request, parsed and checked.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub filter: Option<Filter>,
    pub selector: Selector,
    pub marker: Option<PageMarker>,
    /// The query string without `nextpage_opaque_marker`, to build the next-page link.
    pub base_query: Vec<(String, String)>,
}

impl ListQuery {
    /// Parses the raw query string; `Err` is a 400 detail. Without paging
    /// ([`Listing::WholeNewestFirst`]) `nextpage_opaque_marker` is no parameter of the list and
    /// is ignored, whatever its value.
    pub fn parse(raw: Option<&str>, listing: Listing) -> Result<Self, String> {
        let pairs: Vec<(String, String)> =
            url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .map(|(key, value)| (key.into_owned(), value.into_owned()))
                .collect();
        let single = |name: &str| -> Result<Option<&str>, String> {
            let mut values = pairs
                .iter()
                .filter(|(key, _)| key == name)
                .map(|(_, value)| value.as_str());
            let first = values.next();
            if values.next().is_some() {
                return Err(format!("query parameter {name} is given more than once"));
            }
            Ok(first)
        };
        let filter = single("filter")?.map(Filter::parse).transpose()?;
        let selector = Selector::parse(
            single("all_fields")?.is_some(),
            single("fields")?,
            single("exclude_fields")?,
            single("exclude_default")?.is_some(),
        )?;
        let marker = match listing {
            Listing::PagedOldestFirst => single("nextpage_opaque_marker")?
                .map(PageMarker::parse)
                .transpose()?,
            Listing::WholeNewestFirst => None,
        };
        let base_query = pairs
            .iter()
            .filter(|(key, _)| key != "nextpage_opaque_marker")
            .cloned()
            .collect();
        Ok(Self {
            filter,
            selector,
            marker,
            base_query,
        })
    }

    /// The query string of the next page starting at `marker`.
    pub fn next_page_query(&self, marker: PageMarker) -> String {
        let mut serializer = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in &self.base_query {
            serializer.append_pair(key, value);
        }
        serializer.append_pair("nextpage_opaque_marker", &marker.to_string());
        serializer.finish()
    }
}

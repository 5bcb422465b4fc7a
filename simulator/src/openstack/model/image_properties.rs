//! An image's extra properties, held flat: an image has a handful of them, and a sorted vector
//! holds a handful in a fraction of the room a B-tree node takes.

use std::{
    collections::BTreeMap,
    ops::{Deref, DerefMut},
};

use litemap::LiteMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The extra properties of an image (all strings, as Glance stores them), in key order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImageProperties(LiteMap<String, String>);

impl Deref for ImageProperties {
    type Target = LiteMap<String, String>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for ImageProperties {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl FromIterator<(String, String)> for ImageProperties {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(items: I) -> Self {
        Self(items.into_iter().collect())
    }
}

impl From<BTreeMap<String, String>> for ImageProperties {
    fn from(map: BTreeMap<String, String>) -> Self {
        map.into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a ImageProperties {
    type Item = (&'a String, &'a String);
    type IntoIter = <&'a LiteMap<String, String> as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        (&self.0).into_iter()
    }
}

/// Always a JSON object (`{}` when empty), as Glance and Nova render properties.
impl Serialize for ImageProperties {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter())
    }
}

impl<'de> Deserialize<'de> for ImageProperties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::<String, String>::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_as_an_object_in_key_order_even_when_empty() {
        let empty = ImageProperties::default();
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
        let properties: ImageProperties = [("b", "2"), ("a", "1")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let text = serde_json::to_string(&properties).unwrap();
        assert_eq!(text, r#"{"a":"1","b":"2"}"#);
        let back: ImageProperties = serde_json::from_str(&text).unwrap();
        assert_eq!(back, properties);
    }
}

//! A JSON document held as its compact text, for documents stored in bulk (each VNF
//! snapshot's copy of its instance): a `Value` tree costs several times the memory.

use std::{fmt, sync::Arc};

use serde::{de::Error as _, Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A JSON document as compact text; clones share the text.
#[derive(Clone, PartialEq, Eq)]
pub struct JsonText(Arc<str>);

impl JsonText {
    /// The JSON text of `value`.
    pub fn of<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Self> {
        Ok(Self(serde_json::to_string(value)?.into()))
    }

    /// The document as a `Value`.
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.0).unwrap_or(Value::Null)
    }
}

impl fmt::Debug for JsonText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for JsonText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for JsonText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::of(&Value::deserialize(deserializer)?).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::JsonText;

    #[test]
    fn round_trips_through_serde() {
        let value = json!({"id": "a", "vnfcInfo": [{"id": "b"}], "n": 1.5});
        let text: JsonText = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(text.to_value(), value);
        assert_eq!(serde_json::to_value(&text).unwrap(), value);
    }
}

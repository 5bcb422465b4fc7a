//! SOL013 §5.3 attribute selectors: `all_fields`, `fields`, `exclude_fields`,
//! `exclude_default`.

use serde_json::Value;

/// Which attributes a list response keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Selector {
    /// No selector given: the resource's default exclusions apply.
    #[default]
    Default,
    /// `all_fields`: everything.
    AllFields,
    /// `fields` (with or without `exclude_default`): the named complex attributes and the
    /// simple ones.
    Fields {
        paths: Vec<Vec<String>>,
        exclude_default: bool,
    },
    /// `exclude_fields`: everything except the named attributes.
    ExcludeFields(Vec<Vec<String>>),
    /// `exclude_default` alone.
    ExcludeDefault,
}

impl Selector {
    /// The first path `exclude_fields` names that is not in `excludable` (the optional complex
    /// attributes of the resource, `/`-separated): SOL013 lets a client exclude only those.
    pub fn inexcludable(&self, excludable: &[&str]) -> Option<String> {
        let Self::ExcludeFields(paths) = self else {
            return None;
        };
        paths
            .iter()
            .map(|path| path.join("/"))
            .find(|path| !excludable.contains(&path.as_str()))
    }
}

fn parse_paths(name: &str, text: &str) -> Result<Vec<Vec<String>>, String> {
    text.split(',')
        .map(|path| {
            let parts: Vec<String> = path.split('/').map(str::to_string).collect();
            if parts.iter().any(String::is_empty) {
                Err(format!(
                    "{name} contains an empty attribute name in {path:?}"
                ))
            } else {
                Ok(parts)
            }
        })
        .collect()
}

impl Selector {
    /// Checks the SOL013 combination rules; `Err` is a 400 detail.
    pub fn parse(
        all_fields: bool,
        fields: Option<&str>,
        exclude_fields: Option<&str>,
        exclude_default: bool,
    ) -> Result<Self, String> {
        if all_fields && (fields.is_some() || exclude_fields.is_some() || exclude_default) {
            return Err(
                "all_fields cannot be combined with fields, exclude_fields or exclude_default"
                    .into(),
            );
        }
        if fields.is_some() && exclude_fields.is_some() {
            return Err("fields and exclude_fields cannot be combined".into());
        }
        if exclude_fields.is_some() && exclude_default {
            return Err("exclude_fields and exclude_default cannot be combined".into());
        }
        Ok(
            match (all_fields, fields, exclude_fields, exclude_default) {
                (true, ..) => Self::AllFields,
                (_, Some(fields), ..) => Self::Fields {
                    paths: parse_paths("fields", fields)?,
                    exclude_default,
                },
                (_, _, Some(excluded), _) => {
                    Self::ExcludeFields(parse_paths("exclude_fields", excluded)?)
                }
                (_, _, _, true) => Self::ExcludeDefault,
                _ => Self::Default,
            },
        )
    }

    /// Applies the selector to one item; `defaults` are the resource's default exclusions as
    /// `/`-separated paths.
    pub fn apply(&self, item: &mut Value, defaults: &[&str]) {
        let default_paths = || {
            defaults
                .iter()
                .map(|path| path.split('/').map(str::to_string).collect::<Vec<_>>())
        };
        match self {
            Self::AllFields => {}
            Self::Default | Self::ExcludeDefault => {
                default_paths().for_each(|path| remove_path(item, &path))
            }
            Self::ExcludeFields(paths) => paths.iter().for_each(|path| remove_path(item, path)),
            Self::Fields {
                paths,
                exclude_default,
            } => {
                keep_only(item, paths);
                if *exclude_default {
                    default_paths()
                        .filter(|default| {
                            !paths
                                .iter()
                                .any(|path| path.starts_with(default) || default.starts_with(path))
                        })
                        .for_each(|path| remove_path(item, &path));
                }
            }
        }
    }
}

fn remove_path(item: &mut Value, path: &[String]) {
    match item {
        Value::Array(items) => items.iter_mut().for_each(|item| remove_path(item, path)),
        Value::Object(map) => match path {
            [] => {}
            [last] => {
                map.remove(last);
            }
            [first, rest @ ..] => {
                if let Some(child) = map.get_mut(first) {
                    remove_path(child, rest);
                }
            }
        },
        _ => {}
    }
}

fn is_complex(value: &Value) -> bool {
    matches!(value, Value::Object(_) | Value::Array(_))
}

/// Keeps simple attributes, `id`, `_links` and the named complex attributes; within a named
/// prefix, applies the same rule to the deeper names.
fn keep_only(item: &mut Value, paths: &[Vec<String>]) {
    match item {
        Value::Array(items) => items.iter_mut().for_each(|item| keep_only(item, paths)),
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                if key == "_links" {
                    continue;
                }
                let named: Vec<Vec<String>> = paths
                    .iter()
                    .filter(|path| path.first() == Some(&key))
                    .map(|path| path[1..].to_vec())
                    .collect();
                let Some(child) = map.get_mut(&key) else {
                    continue;
                };
                if !is_complex(child) {
                    continue;
                }
                if named.is_empty() {
                    map.remove(&key);
                } else if !named.iter().any(Vec::is_empty) {
                    keep_only(child, &named);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_listed_attributes_may_be_excluded() {
        let excludable = ["vnfSnapshot", "vnfSnapshot/vnfInstance"];
        let selector = |text: &str| Selector::parse(false, None, Some(text), false).unwrap();
        assert_eq!(
            selector("vnfSnapshot/vnfInstance,vnfSnapshot").inexcludable(&excludable),
            None
        );
        assert_eq!(
            selector("vnfSnapshot,_links").inexcludable(&excludable),
            Some("_links".to_string())
        );
        assert_eq!(
            selector("vnfSnapshot/id").inexcludable(&excludable),
            Some("vnfSnapshot/id".to_string())
        );
        assert_eq!(Selector::Default.inexcludable(&excludable), None);
    }

    fn item() -> Value {
        json!({"id": "1", "_links": {"self": {"href": "h"}},
               "vnfSnapshot": {"id": "s", "vnfInstance": {"id": "i"}, "vnfcSnapshots": [{"id": "c"}]}})
    }
    const DEFAULTS: [&str; 2] = ["vnfSnapshot/vnfInstance", "vnfSnapshot/vnfcSnapshots"];

    #[test]
    fn selectors_follow_sol013() {
        let mut plain = item();
        Selector::parse(false, None, None, false)
            .unwrap()
            .apply(&mut plain, &DEFAULTS);
        assert_eq!(plain["vnfSnapshot"], json!({"id": "s"}));

        let mut fields = item();
        Selector::parse(false, Some("vnfSnapshot/vnfInstance"), None, true)
            .unwrap()
            .apply(&mut fields, &DEFAULTS);
        assert_eq!(
            fields["vnfSnapshot"],
            json!({"id": "s", "vnfInstance": {"id": "i"}})
        );
        assert!(fields.get("_links").is_some());

        let mut all = item();
        Selector::parse(true, None, None, false)
            .unwrap()
            .apply(&mut all, &DEFAULTS);
        assert_eq!(all, item());

        assert!(Selector::parse(false, Some("a//b"), None, false).is_err());
    }
}

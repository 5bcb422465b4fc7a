//! JSON Schemas of the ETSI data types (written from the spec tables, in `schemas/`), loaded
//! once and used to validate bodies.

use std::{collections::BTreeMap, path::Path};

use jsonschema::{Resource, Validator};
use serde_json::Value;

use crate::failure::{Failure, Outcome};

/// All schemas of `schemas/`, by type name (file `<Name>.schema.json`).
pub struct Schemas {
    validators: BTreeMap<String, Validator>,
}

impl std::fmt::Debug for Schemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.validators.keys()).finish()
    }
}

impl Schemas {
    /// Loads every `*.schema.json` of `dir`; the files reference each other by `$id`.
    pub fn load(dir: &Path) -> Outcome<Self> {
        let mut documents = BTreeMap::new();
        let entries = std::fs::read_dir(dir)
            .map_err(|e| Failure::new(format!("cannot read {}: {e}", dir.display())))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".schema.json"))
            else {
                continue;
            };
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Failure::new(format!("cannot read {}: {e}", path.display())))?;
            let document: Value = serde_json::from_str(&text)
                .map_err(|e| Failure::new(format!("{} is not JSON: {e}", path.display())))?;
            documents.insert(name.to_string(), document);
        }
        let mut options = jsonschema::options();
        for document in documents.values() {
            let id = document["$id"].as_str().unwrap_or_default().to_string();
            let resource = Resource::from_contents(document.clone())
                .map_err(|e| Failure::new(format!("schema {id}: {e}")))?;
            options = options.with_resource(id, resource);
        }
        let mut validators = BTreeMap::new();
        for (name, document) in &documents {
            let validator = options
                .build(document)
                .map_err(|e| Failure::new(format!("schema {name} does not compile: {e}")))?;
            validators.insert(name.clone(), validator);
        }
        Ok(Self { validators })
    }

    /// Validates `value` against the schema `name`; the error lists every violation.
    pub fn check(&self, name: &str, value: &Value) -> Result<(), String> {
        let validator = self
            .validators
            .get(name)
            .ok_or_else(|| format!("no schema named {name}"))?;
        let errors: Vec<String> = validator
            .iter_errors(value)
            .map(|e| format!("  at {}: {e}", e.instance_path))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "body is not a valid {name}:\n{}",
                errors.join("\n")
            ))
        }
    }
}

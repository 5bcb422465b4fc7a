//! Reads the `auth` block of one cloud from a `clouds.yaml` file. Only the plain
//! `key: value` mapping form that `openstack` writes is understood (no anchors, lists or
//! multi-line scalars).

use std::path::{Path, PathBuf};

use super::OsCredentials;
use crate::failure::{Failure, Outcome};

/// The places `openstack` looks for `clouds.yaml`, in order.
fn default_locations() -> Vec<PathBuf> {
    let mut paths = vec![PathBuf::from("clouds.yaml")];
    if let Some(home) = std::env::var_os("HOME") {
        paths.push(Path::new(&home).join(".config/openstack/clouds.yaml"));
    }
    paths.push(PathBuf::from("/etc/openstack/clouds.yaml"));
    paths
}

/// The credentials of `cloud`, from `file` or the first `clouds.yaml` found.
pub fn credentials(cloud: &str, file: Option<&Path>) -> Outcome<OsCredentials> {
    let path = match file {
        Some(file) => file.to_path_buf(),
        None => default_locations()
            .into_iter()
            .find(|p| p.exists())
            .ok_or_else(|| Failure::new("no clouds.yaml found"))?,
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Failure::new(format!("cannot read {}: {e}", path.display())))?;
    let value = |key: &str| lookup(&text, &["clouds", cloud, "auth", key]);
    let required = |key: &str| {
        value(key).ok_or_else(|| {
            Failure::new(format!(
                "{}: clouds.{cloud}.auth.{key} is missing",
                path.display()
            ))
        })
    };
    Ok(OsCredentials {
        auth_url: required("auth_url")?,
        username: required("username")?,
        password: required("password")?,
        project: required("project_name")?,
        user_domain: value("user_domain_name").unwrap_or_else(|| "Default".to_string()),
        project_domain: value("project_domain_name").unwrap_or_else(|| "Default".to_string()),
    })
}

/// The scalar at `path` of an indentation-nested YAML mapping.
fn lookup(text: &str, path: &[&str]) -> Option<String> {
    let mut stack: Vec<(usize, String)> = Vec::new();
    for line in text.lines() {
        let content = line.split(" #").next().unwrap_or_default().trim_end();
        if content.trim().is_empty() || content.trim_start().starts_with('#') {
            continue;
        }
        let indent = content.len() - content.trim_start().len();
        let (key, value) = content.trim_start().split_once(':')?;
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        stack.push((indent, unquote(key)));
        let value = value.trim();
        if !value.is_empty()
            && stack.len() == path.len()
            && stack.iter().zip(path).all(|((_, k), p)| k == p)
        {
            return Some(unquote(value));
        }
    }
    None
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches(|c| c == '"' || c == '\'').to_string()
}

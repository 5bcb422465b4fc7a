//! Names many records hold (project and user ids, a volume's id in each of its snapshots, a
//! call's method and operation), kept once and shared instead of copied into every record.

use std::{collections::HashSet, sync::Arc};

/// The shared copies of names; a name no record holds any more is let go as the set grows.
#[derive(Debug, Default)]
pub struct SharedNames {
    names: HashSet<Arc<str>>,
    /// The size of the set after its last clean-up: it is cleaned again when it has doubled.
    kept_after_clean_up: usize,
}

impl SharedNames {
    /// The shared copy of `name`.
    pub fn share(&mut self, name: &str) -> Arc<str> {
        if let Some(kept) = self.names.get(name) {
            return kept.clone();
        }
        if self.names.len() >= 2 * self.kept_after_clean_up.max(64) {
            self.names.retain(|name| Arc::strong_count(name) > 1);
            self.kept_after_clean_up = self.names.len();
        }
        let kept: Arc<str> = name.into();
        self.names.insert(kept.clone());
        kept
    }

    /// How many names are kept (some may be held by no record until the next clean-up).
    #[cfg(test)]
    pub fn count(&self) -> usize {
        self.names.len()
    }

    /// True when `name` is kept.
    #[cfg(test)]
    pub fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// Forgets every name.
    pub fn clear(&mut self) {
        self.names.clear();
        self.kept_after_clean_up = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_kept_once_and_let_go_when_no_record_holds_it() {
        let mut names = SharedNames::default();
        let first = names.share("project-a");
        assert!(Arc::ptr_eq(&first, &names.share("project-a")));
        drop(first);
        let held: Vec<Arc<str>> = (0..200).map(|i| names.share(&format!("id-{i}"))).collect();
        assert!(!names.contains("project-a"), "let go at a clean-up");
        assert!(held.iter().all(|name| names.contains(name)));
    }
}

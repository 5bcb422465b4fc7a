//! Names many records hold (project and user ids, a volume's id in each of its snapshots, a
//! call's method and operation), kept once and shared instead of copied into every record.

use std::{borrow::Borrow, collections::HashSet, fmt, hash::Hash, ops::Deref, sync::Arc};

/// A handle on a shared name: cloned for each record that holds it, counted so that a name no
/// record holds any more can be let go.
pub trait NameHandle: Borrow<str> + Clone + Eq + Hash + for<'a> From<&'a str> {
    /// How many handles on the name exist, the set's own included.
    fn holders(&self) -> usize;
}

impl NameHandle for Arc<str> {
    fn holders(&self) -> usize {
        Arc::strong_count(self)
    }
}

/// A shared name one pointer wide (an `Arc<str>` is two): for records kept by the hundred
/// thousand, such as the call log's.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ThinName(Arc<Box<str>>);

impl From<&str> for ThinName {
    fn from(name: &str) -> Self {
        Self(Arc::new(name.into()))
    }
}

impl Borrow<str> for ThinName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Deref for ThinName {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ThinName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self.0, f)
    }
}

impl NameHandle for ThinName {
    fn holders(&self) -> usize {
        Arc::strong_count(&self.0)
    }
}

/// The shared copies of names; a name no record holds any more is let go as the set grows.
#[derive(Debug)]
pub struct SharedNames<N = Arc<str>> {
    names: HashSet<N>,
    /// The size of the set after its last clean-up: it is cleaned again when it has doubled.
    kept_after_clean_up: usize,
}

impl<N> Default for SharedNames<N> {
    fn default() -> Self {
        Self {
            names: HashSet::new(),
            kept_after_clean_up: 0,
        }
    }
}

impl<N: NameHandle> SharedNames<N> {
    /// The shared copy of `name`.
    pub fn share(&mut self, name: &str) -> N {
        if let Some(kept) = self.names.get(name) {
            return kept.clone();
        }
        if self.names.len() >= 2 * self.kept_after_clean_up.max(64) {
            self.names.retain(|name| name.holders() > 1);
            self.kept_after_clean_up = self.names.len();
        }
        let kept = N::from(name);
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

    fn kept_once_and_let_go<N: NameHandle>(same: impl Fn(&N, &N) -> bool) {
        let mut names = SharedNames::<N>::default();
        let first = names.share("project-a");
        assert!(same(&first, &names.share("project-a")));
        drop(first);
        let held: Vec<N> = (0..200).map(|i| names.share(&format!("id-{i}"))).collect();
        assert!(!names.contains("project-a"), "let go at a clean-up");
        assert!(held.iter().all(|name| names.contains(name.borrow())));
    }

    #[test]
    fn a_name_is_kept_once_and_let_go_when_no_record_holds_it() {
        kept_once_and_let_go::<Arc<str>>(Arc::ptr_eq);
        kept_once_and_let_go::<ThinName>(|a, b| Arc::ptr_eq(&a.0, &b.0));
    }

    #[test]
    fn a_thin_name_is_one_pointer_wide() {
        assert_eq!(size_of::<ThinName>(), size_of::<usize>());
        assert_eq!(size_of::<Option<ThinName>>(), size_of::<usize>());
    }
}

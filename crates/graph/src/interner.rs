//! The node interner: external string keys <-> dense `u32` ids.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use crate::error::{Error, Result};

/// Maps string keys to dense `u32` ids in order of first insertion, and back.
///
/// All key bytes live in one contiguous buffer, so interning a key costs one
/// hash probe and, for a new key, one append: no allocation per key. This is
/// what the hot loops of record aggregation call for every record endpoint.
///
/// ```
/// use nexo_graph::Interner;
///
/// let mut names = Interner::new();
/// assert_eq!(names.intern("+34600111222").unwrap(), 0);
/// assert_eq!(names.intern("ES9121000418450200051332").unwrap(), 1);
/// assert_eq!(names.intern("+34600111222").unwrap(), 0);
/// assert_eq!(names.resolve(1), "ES9121000418450200051332");
/// assert_eq!(names.get("unknown"), None);
/// ```
#[derive(Clone, Default)]
pub struct Interner {
    bytes: String,
    ends: Vec<usize>,
    table: HashTable<u32>,
    hasher: FxBuildHasher,
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty interner with room for `keys` keys.
    pub fn with_capacity(keys: usize) -> Self {
        Self {
            bytes: String::with_capacity(keys * 12),
            ends: Vec::with_capacity(keys),
            table: HashTable::with_capacity(keys),
            hasher: FxBuildHasher,
        }
    }

    /// Number of distinct keys.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether no key was interned.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The same ids for `rename` of each key.
    ///
    /// # Errors
    /// [`Error::RenameCollision`] if two keys get the same new name.
    pub fn renamed(&self, rename: &mut dyn FnMut(&str) -> String) -> Result<Interner> {
        let mut renamed = Interner::with_capacity(self.len());
        for key in self.iter() {
            let name = rename(key);
            let before = renamed.len();
            renamed.intern(&name)?;
            if renamed.len() == before {
                return Err(Error::RenameCollision { name });
            }
        }
        Ok(renamed)
    }

    /// The id of `key`, inserting it with the next free id if it is new.
    ///
    /// Fails only when the interner already holds `u32::MAX` keys.
    pub fn intern(&mut self, key: &str) -> Result<u32> {
        let hash = self.hasher.hash_one(key);
        let Self { bytes, ends, table, hasher } = self;
        let found = table.find(hash, |&id| key_of(bytes, ends, id) == key);
        if let Some(&id) = found {
            return Ok(id);
        }
        let id = u32::try_from(ends.len()).map_err(|_| Error::TooManyNodes)?;
        if id == u32::MAX {
            return Err(Error::TooManyNodes);
        }
        bytes.push_str(key);
        ends.push(bytes.len());
        table.insert_unique(hash, id, |&other| hasher.hash_one(key_of(bytes, ends, other)));
        Ok(id)
    }

    /// The id of `key`, if it was interned.
    pub fn get(&self, key: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(key);
        self.table.find(hash, |&id| key_of(&self.bytes, &self.ends, id) == key).copied()
    }

    /// The key of `id`.
    ///
    /// # Panics
    /// If `id` was not returned by this interner.
    pub fn resolve(&self, id: u32) -> &str {
        key_of(&self.bytes, &self.ends, id)
    }

    /// All keys in id order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.ends.len()).map(|id| key_of(&self.bytes, &self.ends, id as u32))
    }
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

fn key_of<'a>(bytes: &'a str, ends: &[usize], id: u32) -> &'a str {
    let id = id as usize;
    let start = if id == 0 { 0 } else { ends[id - 1] };
    &bytes[start..ends[id]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_first_insertion_and_round_trip() {
        let mut interner = Interner::new();
        let keys = ["b", "a", "", "b", "ñandú", "a"];
        let ids: Vec<u32> = keys.iter().map(|k| interner.intern(k).unwrap()).collect();
        assert_eq!(ids, [0, 1, 2, 0, 3, 1]);
        assert_eq!(interner.len(), 4);
        assert_eq!(interner.iter().collect::<Vec<_>>(), ["b", "a", "", "ñandú"]);
        assert_eq!(interner.get("ñandú"), Some(3));
        assert_eq!(interner.get("c"), None);
    }

    #[test]
    fn survives_table_growth() {
        let mut interner = Interner::with_capacity(1);
        for i in 0..10_000 {
            assert_eq!(interner.intern(&format!("key-{i}")).unwrap(), i);
        }
        for i in (0..10_000).rev() {
            assert_eq!(interner.get(&format!("key-{i}")), Some(i));
            assert_eq!(interner.resolve(i), format!("key-{i}"));
        }
    }
}

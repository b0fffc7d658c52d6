//! The entities table: which identifiers belong to which person or organisation.

use crate::error::{Error, Result};
use crate::identifier::canonical_identifier;
use crate::interner::Interner;

/// Identifier -> entity resolution, with the entities' attributes.
///
/// Every entity has the attribute columns `label`, `kind` and `country`
/// (indices [`Entities::LABEL`], [`Entities::KIND`], [`Entities::COUNTRY`]),
/// followed by any extra columns of the input table, carried to the outputs.
/// An attribute takes the first non-empty value given for the entity.
///
/// ```
/// use nexo_graph::Entities;
///
/// let mut people = Entities::new(vec!["alias".into()]);
/// let ana = people.add("+34 600 111 222", "ANA").unwrap();
/// people.add("ES91 2100 0418 4502 0005 1332", "ANA").unwrap();
/// people.set_attribute(ana, Entities::COUNTRY, "ES");
/// people.set_attribute(ana, 3, "la contable");
/// assert_eq!(people.resolve("+34600111222"), Some(ana));
/// assert_eq!(people.resolve("ANA"), Some(ana)); // an entity key names itself
/// assert_eq!(people.attribute(ana, Entities::COUNTRY), Some("ES"));
/// assert!(people.add("0034600111222", "BEA").is_err()); // already Ana's phone
/// ```
#[derive(Debug, Clone, Default)]
pub struct Entities {
    keys: Interner,
    identifiers: Interner,
    /// Entity of each identifier, by identifier id.
    owner: Vec<u32>,
    column_names: Vec<String>,
    /// Attribute values, by column then entity.
    columns: Vec<Vec<Option<Box<str>>>>,
    scratch: String,
}

impl Entities {
    /// Column index of `label`.
    pub const LABEL: usize = 0;
    /// Column index of `kind`.
    pub const KIND: usize = 1;
    /// Column index of `country`.
    pub const COUNTRY: usize = 2;

    /// An empty table with `label`, `kind`, `country` and the `extra` columns.
    pub fn new(extra: Vec<String>) -> Self {
        let mut column_names: Vec<String> = ["label", "kind", "country"].map(String::from).into();
        column_names.extend(extra);
        let columns = vec![Vec::new(); column_names.len()];
        Self { column_names, columns, ..Self::default() }
    }

    /// Maps `identifier` (canonicalised) to the entity `entity` (trimmed),
    /// creating the entity if new; returns its id. Mapping an identifier
    /// again to the same entity is harmless.
    ///
    /// # Errors
    /// [`Error::ConflictingEntity`] if the identifier already belongs to
    /// another entity; the table is left unchanged.
    pub fn add(&mut self, identifier: &str, entity: &str) -> Result<u32> {
        let identifier = canonical_identifier(identifier, &mut self.scratch);
        let entity = entity.trim();
        if let Some(known) = self.identifiers.get(identifier) {
            let first = self.keys.resolve(self.owner[known as usize]);
            if first == entity {
                return Ok(self.owner[known as usize]);
            }
            return Err(Error::ConflictingEntity {
                identifier: identifier.to_owned(),
                first: first.to_owned(),
                second: entity.to_owned(),
            });
        }
        let id = self.keys.intern(entity)?;
        if id as usize == self.columns[0].len() {
            for column in &mut self.columns {
                column.push(None);
            }
        }
        self.identifiers.intern(identifier)?;
        self.owner.push(id);
        Ok(id)
    }

    /// Sets attribute `column` of `entity` unless it already has a non-empty value.
    ///
    /// # Panics
    /// If `entity` or `column` is out of range.
    pub fn set_attribute(&mut self, entity: u32, column: usize, value: &str) {
        let value = value.trim();
        let slot = &mut self.columns[column][entity as usize];
        if slot.is_none() && !value.is_empty() {
            *slot = Some(value.into());
        }
    }

    /// The entity an identifier in canonical form belongs to: through the
    /// table, or because the identifier is itself an entity key (link records
    /// may name people directly).
    pub fn resolve(&self, canonical: &str) -> Option<u32> {
        match self.identifiers.get(canonical) {
            Some(identifier) => Some(self.owner[identifier as usize]),
            None => self.keys.get(canonical),
        }
    }

    /// The entity owning the identifier `canonical` in the table, if any
    /// (unlike [`Entities::resolve`], an entity key does not name itself here).
    pub fn owner(&self, canonical: &str) -> Option<u32> {
        self.identifiers.get(canonical).map(|identifier| self.owner[identifier as usize])
    }

    /// The key of entity `id`.
    pub fn key(&self, id: u32) -> &str {
        self.keys.resolve(id)
    }

    /// Attribute `column` of entity `id`, if set.
    pub fn attribute(&self, id: u32, column: usize) -> Option<&str> {
        self.columns[column][id as usize].as_deref()
    }

    /// Names of the attribute columns, `label`, `kind`, `country` first.
    pub fn column_names(&self) -> &[String] {
        &self.column_names
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the table has no entity.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The identifiers mapped, in canonical form, in order of first mapping.
    pub fn identifiers(&self) -> impl Iterator<Item = &str> {
        self.identifiers.iter()
    }

    /// Number of identifiers mapped.
    pub fn identifier_count(&self) -> usize {
        self.identifiers.len()
    }

    /// Renames (pseudonymises) every identifier, entity key and attribute
    /// value with `rename`, except the attribute columns in `keep` (such as
    /// kind and country). Ids and mappings stay as they are.
    ///
    /// # Errors
    /// [`Error::RenameCollision`] if two identifiers or two keys get the same name.
    pub fn rename(&mut self, rename: &mut dyn FnMut(&str) -> String, keep: &[usize]) -> Result<()> {
        self.identifiers = self.identifiers.renamed(rename)?;
        self.keys = self.keys.renamed(rename)?;
        for (_, values) in self.columns.iter_mut().enumerate().filter(|(c, _)| !keep.contains(c)) {
            for value in values.iter_mut().flatten() {
                *value = rename(value).into();
            }
        }
        Ok(())
    }
}

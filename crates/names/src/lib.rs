//! casebook-names: tells whether two written names are one person, across scripts and transliteration
//! systems (Ukrainian, Russian and Crimean Tatar spellings in Latin and Cyrillic).
//!
//! In: names as strings. Out: a matching [`key`] per name, a same-person [`Score`] in [0, 1] with its
//! [`Explanation`] for a pair of names ([`score`]), the base (nominative) form of an inflected Russian,
//! Ukrainian or Crimean Tatar name ([`nominative`], [`base_forms`]), and, across articles, a [`Resolution`] of a name
//! against a [`PersonIndex`] of known persons. Pure functions, no I/O; the transliteration tables, the
//! given-name equivalences and the surname endings are data files under `data/`, compiled in.

mod inflect;
mod key;
mod resolve;
mod score;
mod tables;

pub use inflect::{
    base_forms, is_given_name, nominative, plural_names, plural_surname, PluralSurname,
};
pub use key::key;
pub use resolve::{PersonId, PersonIndex, Resolution, Thresholds};
pub use score::{score, score_prepared, Explanation, Note, PreparedName, Rule, Score, TokenMatch};
pub use tables::TableError;

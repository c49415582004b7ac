//! casebook-search: full-text and cross-script name search over the register.
//!
//! In: plain documents projected from the store ([`ArticleDoc`], [`PersonDoc`], [`EventDoc`]),
//! pushed one by one through a [`Writer`] or all at once through [`SearchIndex::rebuild`]. The index
//! is derived data: it lives in a directory of its own (`DATA/index/`) and can be thrown away and
//! rebuilt from the store at any time.
//!
//! Out: for a [`Query`], ranked [`Hit`]s with highlighted [`Snippet`]s and facet counts (event type,
//! year, place, status, outlet). Every name word is also indexed by its matching key
//! (`casebook_names::key`), so `Джелял`, `Celal` and `Dzhelal` find Nariman Dzhelyal; the
//! [`Mode::Exact`] mode matches words as typed, with no transliteration.

mod analysis;
mod docs;
mod error;
mod index;
mod query;
mod results;

pub use docs::{ArticleDoc, EventDoc, IndexDoc, IndexSource, Kind, PersonDoc, Visibility};
pub use error::SearchError;
pub use index::{SearchIndex, Writer};
pub use query::{Filters, Mode, Query, MAX_QUERY_CHARS, MAX_QUERY_NESTING, MAX_QUERY_WORDS};
pub use results::{FacetCounts, FacetValue, Hit, Results, Snippet};

//! The plain documents the store pushes into the index. Each is a projection of a register record:
//! the index never holds anything the store lacks, so it can always be rebuilt from these.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Which kind of register record a document or hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A clean article.
    Article,
    /// A person of the register.
    Person,
    /// A persecution event.
    Event,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 3] = [Kind::Article, Kind::Person, Kind::Event];

    /// The lower-case name used in the index, in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Person => "person",
            Kind::Event => "event",
        }
    }

    /// Reads a kind from its [`Kind::as_str`] name.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub use casebook_model::Visibility;

/// A clean article as the register holds it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleDoc {
    /// The article's id in the store (`Article::id`).
    pub id: String,
    /// The headline, if the page had one.
    pub title: Option<String>,
    /// The body, paragraphs joined by a blank line (`Article::text()`).
    pub text: String,
    /// The outlet's name; the `outlet` facet.
    pub site: Option<String>,
    /// Year of publication; the `year` facet.
    pub year: Option<i32>,
    /// The address the article was read from, if known.
    pub url: Option<String>,
    /// The names of the people the article mentions, as written; indexed as name keys so a name
    /// query in any script finds the article.
    pub people: Vec<String>,
}

/// A person of the register, after merging across articles and scripts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonDoc {
    /// The person's id in the store.
    pub id: String,
    /// Every known spelling, the display name first (`Nariman Dzhelyal`, `Нариман Джелял`, …).
    pub names: Vec<String>,
    /// The status name (`casebook_model::Status::as_str`), if derived; the `status` facet.
    pub status: Option<String>,
    /// Places linked to the person (home town, detention place); the `place` facet.
    pub places: Vec<String>,
    /// Whether the person may be named publicly.
    pub visibility: Visibility,
}

/// A persecution event of the register.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventDoc {
    /// The event's id in the store.
    pub id: String,
    /// A type id from the event taxonomy (`detention`, `sentence`, …); the `type` facet.
    pub event_type: String,
    /// The date as the store renders it (`2024-09-04`, `2024-09`), if known.
    pub date: Option<String>,
    /// The year of the event; the `year` facet.
    pub year: Option<i32>,
    /// The place; the `place` facet.
    pub place: Option<String>,
    /// The named victims, as written.
    pub victims: Vec<String>,
    /// The evidence sentence.
    pub evidence: String,
    /// The id of the article the evidence is in.
    pub article: String,
    /// The outlet of that article; the `outlet` facet.
    pub outlet: Option<String>,
}

/// Any one document, for streaming a whole register into [`crate::SearchIndex::rebuild`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IndexDoc {
    /// An article.
    Article(ArticleDoc),
    /// A person.
    Person(PersonDoc),
    /// An event.
    Event(EventDoc),
}

impl IndexDoc {
    /// The kind of record this document indexes.
    pub fn kind(&self) -> Kind {
        match self {
            IndexDoc::Article(_) => Kind::Article,
            IndexDoc::Person(_) => Kind::Person,
            IndexDoc::Event(_) => Kind::Event,
        }
    }

    /// The record's id in the store.
    pub fn id(&self) -> &str {
        match self {
            IndexDoc::Article(d) => &d.id,
            IndexDoc::Person(d) => &d.id,
            IndexDoc::Event(d) => &d.id,
        }
    }
}

impl From<ArticleDoc> for IndexDoc {
    fn from(d: ArticleDoc) -> Self {
        IndexDoc::Article(d)
    }
}

impl From<PersonDoc> for IndexDoc {
    fn from(d: PersonDoc) -> Self {
        IndexDoc::Person(d)
    }
}

impl From<EventDoc> for IndexDoc {
    fn from(d: EventDoc) -> Self {
        IndexDoc::Event(d)
    }
}

/// A store that can hand every record to the index, so the index can be rebuilt from it.
///
/// The register implements this by walking its articles, people and events and calling `sink`
/// once per record; `sink` fails only when the index itself fails, and that error must be
/// returned as is so the rebuild is abandoned and the old index stays in place.
pub trait IndexSource {
    /// Calls `sink` with every record the index should hold.
    fn for_each_doc(
        &self,
        sink: &mut dyn FnMut(IndexDoc) -> Result<(), crate::SearchError>,
    ) -> Result<(), crate::SearchError>;
}

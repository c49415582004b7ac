//! Plain data shared by every pipeline stage: what an [`Article`] is, what a [`PersonMention`] or an
//! [`Event`] is, and the [`Evidence`] that ties each fact back to a sentence of an untouched original.
//!
//! Nothing here does I/O or holds behaviour beyond small helpers; each stage crate takes these values
//! in and hands these values out, and the storage and web edges persist and show them.
//!
//! # Offsets
//! Every `start`/`end` pair in this crate is a half-open range of **character offsets** (Unicode scalar
//! values, not bytes) into [`Article::text`], the article body whose paragraphs are joined by a blank
//! line. Character offsets are what users, exports and other languages' tools count in; use
//! [`CharIndex`] to convert to byte offsets for slicing in Rust.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod date;
pub mod text;

pub use date::{FuzzyDate, Precision};
pub use text::CharIndex;

/// The separator between paragraphs in [`Article::text`].
pub const PARAGRAPH_SEPARATOR: &str = "\n\n";

/// One untouched input as it arrived: the evidentiary copy every later fact points back to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Original {
    /// Lower-case hex SHA-256 of `bytes`; the original's address in the store.
    pub sha256: String,
    /// Where it came from: a file path, `-` for standard input, or a URL.
    pub source: String,
    /// The bytes exactly as read (for a WARC or gzip input, the whole file as read).
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// A clean, dated article: what the page says, stripped of everything around it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier: the SHA-256 of the original, plus `#N` for the Nth record of a WARC.
    pub id: String,
    /// The input path, plus `#N` for the Nth record of a WARC (as printed by `casebook extract`).
    pub source: String,
    /// SHA-256 (hex) of the untouched original this article was read from.
    pub original_sha256: String,
    /// The URL the page was fetched from (WARC target URI, feed item link), if known.
    pub url: Option<String>,
    /// The canonical URL the page declares (`<link rel=canonical>`, `og:url`), if any.
    pub canonical_url: Option<String>,
    pub title: Option<String>,
    pub published: Option<Published>,
    pub authors: Vec<String>,
    /// The outlet's name (`og:site_name`, JSON-LD publisher, or the host name).
    pub site: Option<String>,
    /// ISO 639-1 code of the body's language, if it could be told.
    pub language: Option<String>,
    /// The body, one entry per paragraph, without captions, credits, related lists and widgets.
    pub paragraphs: Vec<String>,
    /// Ids of other articles recognised as near-duplicates of this one (syndicated copies).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub near_duplicates: Vec<String>,
}

impl Article {
    /// The body as one string, paragraphs separated by a blank line. All offsets refer to this.
    pub fn text(&self) -> String {
        self.paragraphs.join(PARAGRAPH_SEPARATOR)
    }

    /// Number of whitespace-separated words in the body.
    pub fn word_count(&self) -> usize {
        self.paragraphs
            .iter()
            .map(|p| p.split_whitespace().count())
            .sum()
    }
}

/// When an article was published, and where that was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// ISO 8601: `2025-06-23T08:42:00+03:00`, `2025-06-23T08:42:00` (no zone given),
    /// `2025-06-23`, `2025-06` or `2025`, as precise as the source allows.
    pub value: String,
    pub precision: Precision,
    /// Where the date was found: `json-ld`, `meta`, `time`, `dateline`, `url`, `warc`.
    pub from: String,
}

/// Kinds of named things other than people that the people stage recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Organization,
    Place,
}

/// A person named in one article: the surface form at one place in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonMention {
    /// The text exactly as it stands in the article (`Dzhelyal's` is recorded as `Dzhelyal`).
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Index into [`ArticlePeople::persons`]: which person of this article the mention names.
    pub person: usize,
}

/// One person as seen inside a single article, after linking bare surnames to full names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticlePerson {
    /// The fullest name the article gives, as written (`Nariman Dzhelyal`).
    pub name: String,
    /// Role or title words that come with the name (`first deputy head of the Mejlis`, `lawyer`).
    pub descriptors: Vec<String>,
    /// Relations to other people of the article (`son of` person 2), if stated.
    pub relations: Vec<Relation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// `son`, `wife`, `brother`, `lawyer` …, read as "this person is the `<kind>` of `<other>`".
    pub kind: String,
    /// Index into [`ArticlePeople::persons`].
    pub other: usize,
}

/// An organisation or place named in an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityMention {
    pub kind: EntityKind,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The gazetteer's canonical name (`Bakhchysarai` for `Bakhchisaray`).
    pub canonical: String,
}

/// Everything the people stage found in one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticlePeople {
    pub persons: Vec<ArticlePerson>,
    pub mentions: Vec<PersonMention>,
    pub entities: Vec<EntityMention>,
}

/// The sentence that reports a fact, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// [`Article::id`] of the article the sentence is in.
    pub article: String,
    /// The sentence, exactly as in the article text.
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// An unnamed group of victims ("six Crimean Tatars").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VictimGroup {
    pub count: Option<u32>,
    pub description: String,
}

/// A persecution event as one article reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// A type id from the event taxonomy (`detention`, `sentence`, …).
    pub event_type: String,
    /// Indices into [`ArticlePeople::persons`] of the article.
    pub victims: Vec<usize>,
    /// Unnamed victims, counted when the text gives a number.
    pub victim_group: Option<VictimGroup>,
    /// Agencies and people who did it (`FSB`, `Kyivskyi District Court`, `judge Viktor Zuev`).
    pub perpetrators: Vec<String>,
    pub date: Option<FuzzyDate>,
    pub place: Option<String>,
    /// Details by type: `article`, `part`, `term`, `regime`, `amount`, `days`, `destination`, …, as
    /// they hold for every victim.
    pub details: BTreeMap<String, String>,
    /// Details that hold for one victim only, by index into [`ArticlePeople::persons`]: co-defendants
    /// sentenced together to different terms ("A to 17 years, B to 15"). A victim's details are
    /// `details` overlaid with its entry here.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub victim_details: BTreeMap<usize, BTreeMap<String, String>>,
    /// Set when the report only relays a party's claim (`FSB press office`).
    pub claimed_by: Option<String>,
    pub evidence: Evidence,
}

impl Event {
    /// The details that hold for `victim` (an index into [`ArticlePeople::persons`]): the event's
    /// own, overlaid with the victim's.
    pub fn details_of(&self, victim: usize) -> BTreeMap<String, String> {
        let mut out = self.details.clone();
        if let Some(own) = self.victim_details.get(&victim) {
            out.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        out
    }
}

/// People prosecuted together, as one article names the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseMention {
    /// The case's name as written (`the second Bakhchysarai group`).
    pub name: String,
    /// Indices into [`ArticlePeople::persons`].
    pub defendants: Vec<usize>,
    pub evidence: Evidence,
}

/// Everything the event stage found in one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleEvents {
    pub events: Vec<Event>,
    pub cases: Vec<CaseMention>,
}

/// Who may see a person or a field of their record outside review.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// May be named publicly.
    #[default]
    Public,
    /// Only initials may be published.
    Initials,
    /// Never published (witnesses, relatives, minors).
    Hidden,
}

impl Visibility {
    /// The word stored, indexed and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Initials => "initials",
            Visibility::Hidden => "hidden",
        }
    }

    /// Reads the word back (`initials-only` is accepted too).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "public" => Some(Self::Public),
            "initials" | "initials-only" | "initials_only" => Some(Self::Initials),
            "hidden" => Some(Self::Hidden),
            _ => None,
        }
    }
}

impl std::fmt::Display for Visibility {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person's situation, derived from their latest evidenced event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    UnderPersecution,
    PreTrialDetention,
    ServingSentence,
    Restricted,
    Released,
    Exchanged,
    Disappeared,
    Deceased,
    /// Named in the news, but no persecution event is evidenced.
    Unknown,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::UnderPersecution,
        Status::PreTrialDetention,
        Status::ServingSentence,
        Status::Restricted,
        Status::Released,
        Status::Exchanged,
        Status::Disappeared,
        Status::Deceased,
        Status::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::UnderPersecution => "under_persecution",
            Status::PreTrialDetention => "pre_trial_detention",
            Status::ServingSentence => "serving_sentence",
            Status::Restricted => "restricted",
            Status::Released => "released",
            Status::Exchanged => "exchanged",
            Status::Disappeared => "disappeared",
            Status::Deceased => "deceased",
            Status::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// The whole analysis of one article: what the text stages hand to the register.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnalysedArticle {
    pub article: Article,
    pub people: ArticlePeople,
    pub events: ArticleEvents,
}

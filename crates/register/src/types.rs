//! Plain records the register hands out: case files, claims, decisions, audit entries, statistics.
//! These are backend-neutral: a PostgreSQL backend returns the very same values.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version of the pipeline that made a claim, recorded with every claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// `casebook 0.1.0` or any string that tells one pipeline release from another.
    pub extractor_version: String,
    /// Who ran the ingest (recorded in the audit log).
    pub actor: String,
}

/// A claim's review state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    Suggested,
    Confirmed,
    Rejected,
}

impl ReviewState {
    /// The word stored and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Suggested => "suggested",
            ReviewState::Confirmed => "confirmed",
            ReviewState::Rejected => "rejected",
        }
    }

    /// Reads the stored word back.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Suggested, Self::Confirmed, Self::Rejected]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// What kind of fact a claim states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// "The person named at this place of this article is register person P."
    Person,
    /// "This article reports event E."
    Event,
    /// "This article names case C with these defendants."
    Case,
    /// "Register persons A and B may be the same person" (an uncertain identity match).
    SamePerson,
    /// "Row R of version V of another group's list is register person P" (or names nobody known);
    /// the provenance (list, version, file hash, row) is in the summary.
    ListRow,
}

impl ClaimKind {
    /// The word stored and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::Person => "person",
            ClaimKind::Event => "event",
            ClaimKind::Case => "case",
            ClaimKind::SamePerson => "same_person",
            ClaimKind::ListRow => "list_row",
        }
    }

    /// Reads the stored word back.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Person,
            Self::Event,
            Self::Case,
            Self::SamePerson,
            Self::ListRow,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

pub use casebook_model::Visibility;

/// A machine-made fact with its provenance and review state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// Stable id derived from the article and the fact, so a re-run finds the same claim again.
    pub id: String,
    pub kind: ClaimKind,
    /// What the claim is about: a person id, an event id, a case id, or `A|B` for a same-person claim.
    pub subject: String,
    pub article: Option<String>,
    pub start: Option<usize>,
    pub end: Option<usize>,
    /// One line saying what the claim states.
    pub summary: String,
    pub extractor_version: String,
    pub state: ReviewState,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

/// Which claims to list.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    pub state: Option<ReviewState>,
    pub kind: Option<ClaimKind>,
    /// Only claims about this subject (person, event or case id).
    pub subject: Option<String>,
    pub limit: usize,
}

/// A reviewer's decision, as asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Decision {
    /// Confirm a claim, or every source claim of an event, or every claim about a person.
    Confirm { target: String },
    /// Reject a claim (or all claims of an event or person).
    Reject { target: String },
    /// Set a field of a person (`name`, `status`) or of an event (`type`, `date`, `place`).
    Edit {
        target: String,
        field: String,
        value: String,
    },
    /// The two persons are one: `from` is folded into `into`.
    Merge { into: String, from: String },
    /// The names listed are another person than `person`; they move to a new person.
    Split { person: String, names: Vec<String> },
    /// Who may see the person (field `None`) or one field of theirs (`name`, `names`, `status`).
    SetVisibility {
        person: String,
        field: Option<String>,
        level: Visibility,
    },
}

impl Decision {
    /// The action word stored in the decision table and the audit log.
    pub fn action(&self) -> &'static str {
        match self {
            Decision::Confirm { .. } => "confirm",
            Decision::Reject { .. } => "reject",
            Decision::Edit { .. } => "edit",
            Decision::Merge { .. } => "merge",
            Decision::Split { .. } => "split",
            Decision::SetVisibility { .. } => "visibility",
        }
    }
}

/// A decision as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionRecord {
    pub id: i64,
    pub at: String,
    pub actor: String,
    /// `confirm`, `reject`, `edit`, `merge`, `split`, `visibility` or `undo`.
    pub action: String,
    pub target: String,
    pub payload: serde_json::Value,
    /// The decision that reversed this one, if any.
    pub undone_by: Option<i64>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub payload: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

/// What verifying the audit chain found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditReport {
    pub entries: u64,
    /// The first entry whose hash does not match its content or its predecessor, with the reason.
    pub broken: Option<(i64, String)>,
}

/// What storing one article did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoreOutcome {
    /// Stored for the first time.
    Stored(Written),
    /// The article was stored by an older pipeline; its machine-made rows were replaced, its
    /// claims' review states and every decision kept.
    Reanalysed(Written),
    /// The article was in the register already, read by the same pipeline; nothing changed.
    AlreadyStored,
}

/// Where the facts of a stored article went in the register.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    /// The register person of each article person (by index), after merges and splits.
    pub persons: Vec<String>,
    /// The register event of each reported event (by index): a new one or an earlier report's.
    pub events: Vec<String>,
    /// How many register persons this article added.
    pub new_persons: usize,
    /// How many register events this article added.
    pub new_events: usize,
    /// The stored articles this one was linked to as a near-duplicate (a syndicated copy).
    #[serde(default)]
    pub near_duplicates: Vec<String>,
}

/// A person as listed and exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub id: String,
    /// The reviewer's name if edited, else the fullest name seen.
    pub name: String,
    /// Every name and spelling seen, in every script.
    pub names: Vec<String>,
    pub status: casebook_model::Status,
    pub visibility: Visibility,
    /// Visibility of single fields (`name`, `names`, `status`) where set.
    pub field_visibility: BTreeMap<String, Visibility>,
    /// Number of articles naming the person.
    pub articles: u64,
    /// True when at least one claim about the person is confirmed.
    pub confirmed: bool,
}

/// One event in a person's timeline or in an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub id: String,
    pub event_type: String,
    pub date: Option<String>,
    pub place: Option<String>,
    /// Register person ids of the named victims.
    pub victims: Vec<String>,
    pub perpetrators: Vec<String>,
    /// What holds for every victim.
    pub details: BTreeMap<String, String>,
    /// Each victim's own details beyond `details`, by register person id ("17 years" for one
    /// co-defendant, "15 years" for another).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub victim_details: BTreeMap<String, BTreeMap<String, String>>,
    pub claimed_by: Option<String>,
    pub review: ReviewState,
    pub sources: Vec<SourceRecord>,
    /// Fields the reporting articles disagree on; the event shows the reconciled value.
    #[serde(default)]
    pub conflicts: Vec<ConflictRecord>,
}

/// A field of an event on which its sources disagree, with every value given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictRecord {
    /// `date`, `place`, or a detail key (`term`, `article`, …).
    pub field: String,
    /// The victim (register person id) the sources disagree about, for a detail of one victim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    pub values: Vec<ConflictValue>,
}

/// One value of a disputed field and the articles that give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictValue {
    pub value: String,
    pub articles: Vec<String>,
}

/// A sentence of an article that reports a fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRecord {
    pub article: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub claim: String,
    pub review: ReviewState,
}

/// A mention of a person in an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentionRecord {
    pub person: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub review: ReviewState,
}

/// An article as exported: metadata and mentions (the body stays in the store).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRecord {
    pub id: String,
    pub source: String,
    pub original_sha256: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub mentions: Vec<MentionRecord>,
    /// Ids of stored articles that are near-duplicates of this one (syndicated copies), most
    /// similar first.
    #[serde(default)]
    pub near_duplicates: Vec<String>,
}

/// A case as exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseRecord {
    pub id: String,
    /// The reviewer's name if edited, else the name most articles give.
    pub name: String,
    /// Every name the case was reported under, most frequent first.
    #[serde(default)]
    pub names: Vec<String>,
    pub defendants: Vec<String>,
    pub events: Vec<String>,
    pub review: ReviewState,
    pub sources: Vec<SourceRecord>,
    /// What each article put into the case (the name it used, the defendants it named): where to
    /// look when a case was joined wrongly.
    #[serde(default)]
    pub reports: Vec<CaseReportRecord>,
}

/// One article's report of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseReportRecord {
    pub article: String,
    /// The name the article gives the case.
    pub name: String,
    /// Register person ids of the defendants the article names.
    pub defendants: Vec<String>,
}

/// A person's case file: who, status and the evidenced timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseFile {
    pub person: PersonRecord,
    /// Role words the articles give (`lawyer`, `citizen journalist`).
    pub descriptors: Vec<String>,
    /// Events, oldest first (undated last).
    pub timeline: Vec<EventRecord>,
    pub cases: Vec<CaseRecord>,
    /// Open same-person claims about this person.
    pub possible_duplicates: Vec<Claim>,
}

/// Counts over the whole register.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub schema_version: u32,
    pub originals: u64,
    pub originals_bytes: u64,
    pub articles: u64,
    pub persons: u64,
    pub mentions: u64,
    pub events: u64,
    pub cases: u64,
    pub events_by_type: BTreeMap<String, u64>,
    pub persons_by_status: BTreeMap<String, u64>,
    pub claims_by_state: BTreeMap<String, u64>,
    pub decisions: u64,
    pub audit_entries: u64,
}

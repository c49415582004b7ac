//! casebook-register: the store of record.
//!
//! In: untouched [`Original`]s and the [`AnalysedArticle`]s the text stages made of them, and
//! reviewers' [`Decision`]s. Out: persons with every name seen, events with their sources, cases,
//! claims with provenance and review state, a hash-chained audit log, and exports (JSON, CSV,
//! FollowTheMoney) in full or public mode.
//!
//! The [`Store`] trait is the storage boundary: the CLI and the pipeline talk only to it, and
//! [`SqliteStore`] is its first backend (one SQLite file in the data directory, WAL mode, so
//! several ingests and a server can use it at once). A PostgreSQL backend implements the same trait.
//!
//! Every write is one transaction: an article with everything found in it is stored whole or not
//! at all, so a killed ingest leaves no half-written article and running it again finishes the job.

pub mod article_text;
pub mod audit_anchor;
mod audit_log;
mod audit_replay;
mod case_files;
mod case_join;
mod checkpoint;
pub mod error;
pub mod export;
mod export_perpetrators;
pub mod identity;
pub mod lists;
mod near_dupes;
pub mod perpetrator_spellings;
pub mod postgres;
mod reconcile;
pub mod record_ids;
mod records;
mod sql;
mod sqlite;
pub mod store_copy;
// Benchmarks and load tests only: off unless a crate asks for the `synthetic` feature.
#[cfg(feature = "synthetic")]
pub mod synthetic;

pub mod types;
pub mod visibility;
pub mod web_reads;

pub use article_text::{ArticleSearchFields, ArticleText, EvidenceSpan};
pub use audit_anchor::AuditAnchor;
pub use audit_log::{audit_hash, AUDIT_GENESIS};
/// What a perpetrator string names, for the readers of [`PerpetratorRow`] (the web's pages).
pub use casebook_events::perpetrator::{roles as perpetrator_roles, Perpetrator};
pub use casebook_model::{AnalysedArticle, Original};
pub use error::{RegisterError, Result};
pub use identity::{IndexResolver, KeyResolver, NameLookup, PersonResolver, Resolution};
pub use perpetrator_spellings::PerpetratorSpellings;
pub use postgres::PostgresRegister;
pub use record_ids::RecordIds;
pub use sqlite::{
    month_of, priority_label, titled_summary, ArticleMeta, Calibration, CaseFilePage,
    PerpetratorFile, PerpetratorFilter, PerpetratorRow, QueueFilter, QueuePage, QueueProgress,
    QueueRow, QueueSort, RegisterSummary, ReviewPage, ScoredClaim, SqliteStore, SCHEMA_VERSION,
    STORE_FILE,
};
pub use types::*;

use std::path::Path;

/// The register's storage boundary. Reads take `&self`; each write is one transaction.
pub trait Store {
    /// The schema version the store is at.
    fn schema_version(&self) -> Result<u32>;

    /// Checks the store's physical and logical integrity; returns the problems found (none = sound).
    fn integrity_check(&self) -> Result<Vec<String>>;

    /// True when an article with this id is stored.
    fn has_article(&self, id: &str) -> Result<bool>;

    /// The pipeline version an article was stored by, or `None` when it is not stored.
    fn article_version(&self, id: &str) -> Result<Option<String>>;

    /// True when an original with this SHA-256 is stored.
    fn has_original(&self, sha256: &str) -> Result<bool>;

    /// Stores an original by itself (an input that yielded no article is still kept as evidence).
    fn add_original(&mut self, original: &Original, actor: &str) -> Result<bool>;

    /// Stores one original and an article analysed from it, in one transaction. Storing an article
    /// that is already there changes nothing.
    fn store_article(
        &mut self,
        original: &Original,
        analysed: &AnalysedArticle,
        provenance: &Provenance,
        resolver: &dyn PersonResolver,
    ) -> Result<StoreOutcome>;

    /// Readies this handle for a long ingest (many batches, one after another): the backend may
    /// trade memory for fewer writes, within a bound that does not grow with the store. Backends
    /// with nothing to tune do nothing.
    fn prepare_bulk_ingest(&mut self) -> Result<()> {
        Ok(())
    }

    /// Stores several originals with an article analysed from each, in one transaction: all of them
    /// or none, so a killed ingest still leaves whole articles only. Cheaper per article than
    /// [`Store::store_article`] (one commit for the batch); outcomes are in the order given.
    fn store_batch(
        &mut self,
        batch: &[(&Original, &AnalysedArticle)],
        provenance: &Provenance,
        resolver: &dyn PersonResolver,
    ) -> Result<Vec<StoreOutcome>> {
        batch
            .iter()
            .map(|(original, analysed)| {
                self.store_article(original, analysed, provenance, resolver)
            })
            .collect()
    }

    /// [`Store::store_batch`] with each article's near-duplicate signature (`Signature::of_text` of
    /// its text; `None` when it has none) computed by the caller, in the batch's order: the ingest
    /// engine signs on its analysis thread, so the text work stays out of the write transaction.
    fn store_batch_signed(
        &mut self,
        batch: &[(&Original, &AnalysedArticle)],
        signatures: &[Option<casebook_article::near_duplicate::Signature>],
        provenance: &Provenance,
        resolver: &dyn PersonResolver,
    ) -> Result<Vec<StoreOutcome>> {
        // Backends that link near-duplicates elsewhere have no use for them.
        let _ = signatures;
        self.store_batch(batch, provenance, resolver)
    }

    /// The untouched bytes of an original.
    fn original_bytes(&self, sha256: &str) -> Result<Vec<u8>>;

    /// A person's case file; `UnknownId` when the id names nobody. A merged-away id leads to the
    /// person it was merged into.
    fn case_file(&self, person: &str) -> Result<CaseFile>;

    /// One person's record (names, status, visibility); a merged-away id leads to its root.
    fn person(&self, id: &str) -> Result<PersonRecord>;

    /// The places of a person's events in event-id order, each once, with reviewers' edits
    /// applied (what the search index lists for the person); a merged-away id leads to its root.
    fn person_places(&self, id: &str) -> Result<Vec<String>>;

    /// Persons whose names contain `text` (case-insensitive), at most `limit`.
    fn find_persons(&self, text: &str, limit: usize) -> Result<Vec<PersonRecord>>;

    /// Claims matching the filter, oldest first.
    fn claims(&self, filter: &ClaimFilter) -> Result<Vec<Claim>>;

    /// Records a reviewer's decision and applies it.
    fn decide(&mut self, actor: &str, decision: &Decision) -> Result<DecisionRecord>;

    /// Reverses an earlier decision by recording a new one.
    fn undo(&mut self, actor: &str, decision_id: i64) -> Result<DecisionRecord>;

    /// The latest decisions, newest first.
    fn decisions(&self, limit: usize) -> Result<Vec<DecisionRecord>>;

    /// Audit entries from `from_seq` on, at most `limit`.
    fn audit_entries(&self, from_seq: i64, limit: usize) -> Result<Vec<AuditEntry>>;

    /// Recomputes the audit chain and reports the first broken link.
    fn verify_audit(&self) -> Result<AuditReport>;

    /// Counts over the register.
    fn stats(&self) -> Result<Stats>;

    /// Visits every (unmerged) person with at least one article, in id order.
    fn visit_persons(&self, f: &mut dyn FnMut(PersonRecord) -> Result<()>) -> Result<()>;

    /// Visits every article, in the order stored.
    fn visit_articles(&self, f: &mut dyn FnMut(ArticleRecord) -> Result<()>) -> Result<()>;

    /// Visits every event, in id order.
    fn visit_events(&self, f: &mut dyn FnMut(EventRecord) -> Result<()>) -> Result<()>;

    /// Which spellings the register's event reports use for one perpetrator (what the
    /// perpetrators pages and the exports group).
    fn perpetrator_spellings(&self) -> Result<PerpetratorSpellings>;

    /// Visits every case, in id order.
    fn visit_cases(&self, f: &mut dyn FnMut(CaseRecord) -> Result<()>) -> Result<()>;

    /// Visits every article's clean text with what the search index needs of it, in the order
    /// stored (the projection into the search index reads this).
    fn visit_article_search_fields(
        &self,
        f: &mut dyn FnMut(ArticleSearchFields) -> Result<()>,
    ) -> Result<()>;

    /// Records in the audit log a write made outside the register (an account created, a role or
    /// password changed, a watchlist edited), under the user who made it. The payload says what
    /// changed and must never hold a secret such as a password.
    fn record_action(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        payload: &serde_json::Value,
    ) -> Result<()>;

    /// One article with its clean text, the people named in it and the sentences reporting events;
    /// `UnknownId` when no article has the id.
    fn article_text(&self, id: &str) -> Result<ArticleText>;

    /// The title (or, without one, the source) of each of these articles that the register holds.
    fn article_titles(&self, ids: &[String]) -> Result<std::collections::BTreeMap<String, String>>;

    /// The ids of every stored article and event: what the derived search index must hold of them.
    /// Backends should answer from their keys alone; this default visits every record.
    fn record_ids(&self) -> Result<RecordIds> {
        let mut ids = RecordIds::default();
        self.visit_articles(&mut |a| {
            ids.articles.insert(a.id);
            Ok(())
        })?;
        self.visit_events(&mut |e| {
            ids.events.insert(e.id);
            Ok(())
        })?;
        Ok(ids)
    }
}

/// Opens (creating if need be) the register in a data directory with the default backend.
pub fn open(data_dir: &Path) -> Result<SqliteStore> {
    SqliteStore::open(data_dir)
}

/// Stable short id from parts: a prefix and the first 16 hex digits of their SHA-256.
pub(crate) fn stable_id(prefix: &str, parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0x1f]);
    }
    let digest = hex::encode(h.finalize());
    format!("{prefix}-{}", &digest[..16])
}

//! Other groups' lists in the register: each import of a list is a version (file name, SHA-256, the
//! column mapping that read it, who imported it), its rows are stored with the reconciliation made at
//! import (`casebook_lists::reconcile` over the register's persons), and every row is a claim of kind
//! `list_row` whose summary carries its provenance (list, version, file hash, row): confirmed or
//! rejected like any other claim. A rejected row's match is no match in the report. Schema in
//! `migrations/0016_lists.sql`.

use crate::audit_log::{append_audit, now};
use crate::sql::SqliteDb;
use crate::sqlite::{Ctx, SqliteStore};
use crate::{stable_id, CaseFile, Provenance, RegisterError, Result, Store};
use casebook_lists::{
    Changes, Conflict, ListRow, Matched, OnlyInList, OnlyInRegister, ParsedList, PersonFacts,
    Reconciliation, RegisterPerson, Report,
};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What importing a file did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListImport {
    pub list: String,
    pub version: u32,
    pub sha256: String,
    pub rows: usize,
    /// True when the file is the list's latest version already: nothing was stored.
    pub unchanged: bool,
    pub reconciliation: Reconciliation,
}

/// A stored list and its versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListSummary {
    pub name: String,
    pub versions: Vec<ListVersion>,
}

/// One stored version of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListVersion {
    pub version: u32,
    pub file_name: String,
    pub sha256: String,
    pub imported_at: String,
    pub imported_by: String,
    pub rows: u64,
}

/// The statements the import and the report share.
const EVENT_TYPES_DETAINED: &[&str] = &["detention", "arrest_custody"];

/// What a case file says of the fields lists give: status, first detention, latest term, latest
/// transfer's place.
fn facts_of(cf: &CaseFile) -> PersonFacts {
    let dated = |types: &[&str]| {
        cf.timeline
            .iter()
            .filter(|e| types.contains(&e.event_type.as_str()))
            .filter_map(|e| e.date.clone())
            .min()
    };
    let latest = |types: &[&str], get: &dyn Fn(&crate::EventRecord) -> Option<String>| {
        cf.timeline
            .iter()
            .filter(|e| types.contains(&e.event_type.as_str()))
            .filter_map(get)
            .last()
    };
    PersonFacts {
        status: Some(cf.person.status.as_str().to_string()),
        date_detained: dated(EVENT_TYPES_DETAINED),
        term: latest(&["sentence", "appeal"], &|e| e.details.get("term").cloned()),
        place: latest(&["transfer"], &|e| e.place.clone()),
    }
}

fn json<T: Serialize>(value: &T) -> String {
    // Plain data (strings, numbers, maps with string keys) always serialises.
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

impl SqliteStore {
    /// The mapping (normalised header → field word) kept for the next version of `list`, if the
    /// list is known.
    pub fn list_mapping(&self, list: &str) -> Result<Option<BTreeMap<String, String>>> {
        let stored: Option<String> = self
            .conn()
            .query_row(
                "SELECT mapping_json FROM lists WHERE name = ?1",
                [list],
                |r| r.get(0),
            )
            .optional()
            .ctx(self.path(), || "reading a list's mapping".into())?;
        Ok(stored.and_then(|s| serde_json::from_str(&s).ok()))
    }

    /// The register's persons as matching needs them: every name each (effective, unmerged) person
    /// was seen under, and a birth date where a reviewer confirmed a list row that gave one.
    pub fn list_persons(&self) -> Result<Vec<RegisterPerson>> {
        let mut by_id: BTreeMap<String, RegisterPerson> = BTreeMap::new();
        let names = self.pairs(
            "SELECT DISTINCT person, name FROM article_persons ORDER BY person",
            &[],
        )?;
        for (id, name) in names {
            let p = by_id.entry(id.clone()).or_insert_with(|| RegisterPerson {
                id,
                ..RegisterPerson::default()
            });
            p.names.push(name);
        }
        let confirmed_rows = self.pairs(
            "SELECT COALESCE(p.merged_into, p.id), r.row_json FROM list_rows r
               JOIN claims c ON c.id = r.claim_id
               JOIN persons p ON p.id = r.person
              WHERE c.state = 'confirmed'",
            &[],
        )?;
        for (id, row_json) in confirmed_rows {
            let birth = serde_json::from_str::<ListRow>(&row_json)
                .ok()
                .and_then(|r| r.birth_date);
            if let (Some(p), Some(b)) = (by_id.get_mut(&id), birth) {
                p.birth_date.get_or_insert(b);
            }
        }
        Ok(by_id.into_values().collect())
    }

    /// Imports `parsed` (read from `file_name`) as the next version of `list`: reconciles it with
    /// the register, stores the version, its rows and their claims, keeps its mapping for the next
    /// version and records the import in the audit log, all in one transaction. A file that is the
    /// list's latest version already stores nothing.
    pub fn import_list(
        &mut self,
        list: &str,
        file_name: &str,
        parsed: &ParsedList,
        provenance: &Provenance,
    ) -> Result<ListImport> {
        if list.trim().is_empty() {
            return Err(RegisterError::Invalid("a list needs a name".into()));
        }
        let latest = self.latest_version(list)?;
        if let Some((version, sha)) = &latest {
            if *sha == parsed.sha256 {
                return Ok(ListImport {
                    list: list.into(),
                    version: *version,
                    sha256: sha.clone(),
                    rows: parsed.rows.len(),
                    unchanged: true,
                    reconciliation: self.list_report(list, Some(*version))?.reconciliation,
                });
            }
        }
        let version = latest.map_or(1, |(v, _)| v + 1);
        let persons = self.list_persons()?;
        let reconciliation = casebook_lists::reconcile(&parsed.rows, &persons, |id| {
            Ok::<_, RegisterError>(facts_of(&self.case_file(id)?))
        })?;
        let path = self.path().to_path_buf();
        let tx = rusqlite::Transaction::new_unchecked(self.conn(), TransactionBehavior::Immediate)
            .ctx(&path, || "starting a list import".into())?;
        store_version(&tx, &path, list, version, file_name, parsed, provenance)?;
        store_rows(
            &tx,
            &path,
            list,
            version,
            file_name,
            parsed,
            &reconciliation,
            provenance,
        )?;
        let payload = serde_json::json!({
            "list": list, "version": version, "file": file_name, "sha256": parsed.sha256,
            "rows": parsed.rows.len(), "matched": reconciliation.matched.len(),
        });
        append_audit(
            &SqliteDb::new(&tx, &path),
            &provenance.actor,
            "list_import",
            list,
            &payload.to_string(),
        )?;
        tx.commit()
            .ctx(&path, || "committing a list import".into())?;
        Ok(ListImport {
            list: list.into(),
            version,
            sha256: parsed.sha256.clone(),
            rows: parsed.rows.len(),
            unchanged: false,
            reconciliation,
        })
    }

    /// The latest version of `list` and its file's hash.
    fn latest_version(&self, list: &str) -> Result<Option<(u32, String)>> {
        self.conn()
            .query_row(
                "SELECT version, sha256 FROM list_versions WHERE list = ?1 ORDER BY version DESC LIMIT 1",
                [list],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .ctx(self.path(), || "reading a list's versions".into())
    }

    /// The stored rows of one version, with their match, conflicts and claim state.
    fn version_rows(&self, list: &str, version: u32) -> Result<Vec<StoredRow>> {
        let err = || "reading a list's rows".to_string();
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT r.row_json, COALESCE(p.merged_into, r.person), r.score, r.why,
                        r.conflicts_json, c.state
                   FROM list_rows r
                   LEFT JOIN persons p ON p.id = r.person
                   LEFT JOIN claims c ON c.id = r.claim_id
                  WHERE r.list = ?1 AND r.version = ?2 ORDER BY r.row",
            )
            .ctx(self.path(), err)?;
        let rows = stmt
            .query_map(params![list, version], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<f64>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })
            .ctx(self.path(), err)?;
        let mut out = Vec::new();
        for row in rows {
            let (row_json, person, score, why, conflicts, state) = row.ctx(self.path(), err)?;
            let row: ListRow = serde_json::from_str(&row_json).map_err(|e| {
                RegisterError::Invalid(format!("a stored list row is unreadable: {e}"))
            })?;
            // A reviewer's rejection undoes the match: the row stands alone again.
            let rejected = state.as_deref() == Some("rejected");
            out.push(StoredRow {
                matched: person.filter(|_| !rejected).map(|person| Matched {
                    row: row.row,
                    person,
                    score: score.unwrap_or_default(),
                    why: why.unwrap_or_default(),
                }),
                conflicts: serde_json::from_str(&conflicts).unwrap_or_default(),
                row,
            });
        }
        Ok(out)
    }

    /// Resolves `version` (the latest when `None`) of `list`, or says there is none.
    fn resolve_version(&self, list: &str, version: Option<u32>) -> Result<u32> {
        let latest = self.latest_version(list)?.map(|(v, _)| v);
        match (version, latest) {
            (_, None) => Err(RegisterError::UnknownId {
                kind: "list",
                id: list.into(),
            }),
            (Some(v), Some(l)) if v == 0 || v > l => Err(RegisterError::UnknownId {
                kind: "list version",
                id: format!("{list} version {v}"),
            }),
            (Some(v), _) => Ok(v),
            (None, Some(l)) => Ok(l),
        }
    }

    /// The reconciliation report of a version of `list` (the latest when `None`): matches as made
    /// at import, less those a reviewer rejected, with persons merged since followed to the person
    /// they were merged into; the register's persons no row matches, as the register is now.
    pub fn list_report(&self, list: &str, version: Option<u32>) -> Result<Report> {
        let version = self.resolve_version(list, version)?;
        let mut rec = Reconciliation::default();
        for stored in self.version_rows(list, version)? {
            match stored.matched {
                Some(m) => {
                    rec.conflicts
                        .extend(stored.conflicts.into_iter().map(|c| Conflict {
                            person: m.person.clone(),
                            ..c
                        }));
                    rec.matched.push(m);
                }
                None => rec.only_in_list.push(OnlyInList {
                    row: stored.row.row,
                    name: stored.row.name,
                }),
            }
        }
        let matched: BTreeSet<&str> = rec.matched.iter().map(|m| m.person.as_str()).collect();
        let mut stmt = self
            .conn()
            .prepare("SELECT DISTINCT person FROM article_persons ORDER BY person")
            .ctx(self.path(), || "listing persons".into())?;
        let all: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .ctx(self.path(), || "listing persons".into())?;
        rec.only_in_register = all
            .into_iter()
            .filter(|p| !matched.contains(p.as_str()))
            .map(|person| OnlyInRegister { person })
            .collect();
        Ok(Report {
            list: list.into(),
            version,
            reconciliation: rec,
        })
    }

    /// What changed in `list` from version `from` to version `to` (by default the two latest).
    pub fn list_changes(
        &self,
        list: &str,
        from: Option<u32>,
        to: Option<u32>,
    ) -> Result<(u32, u32, Changes)> {
        let to = self.resolve_version(list, to)?;
        let from = match from {
            Some(v) => self.resolve_version(list, Some(v))?,
            None => to.saturating_sub(1),
        };
        let rows = |v: u32| -> Result<Vec<ListRow>> {
            if v == 0 {
                return Ok(Vec::new());
            }
            Ok(self
                .version_rows(list, v)?
                .into_iter()
                .map(|r| r.row)
                .collect())
        };
        Ok((from, to, casebook_lists::diff(&rows(from)?, &rows(to)?)))
    }

    /// Every stored list with its versions.
    pub fn lists(&self) -> Result<Vec<ListSummary>> {
        let err = || "listing the lists".to_string();
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT v.list, v.version, v.file_name, v.sha256, v.imported_at, v.imported_by,
                        (SELECT COUNT(*) FROM list_rows r WHERE r.list = v.list AND r.version = v.version)
                   FROM list_versions v ORDER BY v.list, v.version",
            )
            .ctx(self.path(), err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    ListVersion {
                        version: r.get(1)?,
                        file_name: r.get(2)?,
                        sha256: r.get(3)?,
                        imported_at: r.get(4)?,
                        imported_by: r.get(5)?,
                        rows: r.get::<_, i64>(6)? as u64,
                    },
                ))
            })
            .ctx(self.path(), err)?;
        let mut out: Vec<ListSummary> = Vec::new();
        for row in rows {
            let (name, version) = row.ctx(self.path(), err)?;
            match out.last_mut() {
                Some(l) if l.name == name => l.versions.push(version),
                _ => out.push(ListSummary {
                    name,
                    versions: vec![version],
                }),
            }
        }
        Ok(out)
    }
}

/// A stored row with what the import found for it.
struct StoredRow {
    row: ListRow,
    matched: Option<Matched>,
    conflicts: Vec<Conflict>,
}

fn store_version(
    conn: &Connection,
    path: &Path,
    list: &str,
    version: u32,
    file_name: &str,
    parsed: &ParsedList,
    provenance: &Provenance,
) -> Result<()> {
    let err = || "storing a list version".to_string();
    let mapping = json(&parsed.mapping.by_header());
    let at = now();
    conn.execute(
        "INSERT INTO lists (name, mapping_json, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET mapping_json = excluded.mapping_json",
        params![list, mapping, at],
    )
    .ctx(path, err)?;
    conn.execute(
        "INSERT INTO list_versions (list, version, file_name, sha256, mapping_json, imported_at, imported_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![list, version, file_name, parsed.sha256, mapping, at, provenance.actor],
    )
    .ctx(path, err)?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn store_rows(
    conn: &Connection,
    path: &Path,
    list: &str,
    version: u32,
    file_name: &str,
    parsed: &ParsedList,
    rec: &Reconciliation,
    provenance: &Provenance,
) -> Result<()> {
    let err = || "storing a list's rows".to_string();
    let matched: BTreeMap<usize, &Matched> = rec.matched.iter().map(|m| (m.row, m)).collect();
    let mut conflicts: BTreeMap<usize, Vec<&Conflict>> = BTreeMap::new();
    for c in &rec.conflicts {
        conflicts.entry(c.row).or_default().push(c);
    }
    let at = now();
    let short = parsed.sha256.get(..12).unwrap_or(&parsed.sha256);
    let mut insert_row = conn
        .prepare(
            "INSERT INTO list_rows (list, version, row, name, row_json, person, score, why, conflicts_json, claim_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .ctx(path, err)?;
    let mut insert_claim = conn
        .prepare(
            "INSERT OR IGNORE INTO claims (id, kind, subject, article_id, start, \"end\", summary, extractor_version, created_at)
             VALUES (?1, 'list_row', ?2, NULL, NULL, NULL, ?3, ?4, ?5)",
        )
        .ctx(path, err)?;
    for row in &parsed.rows {
        let n = row.row.to_string();
        let claim = stable_id("lr", &[list, &version.to_string(), &n, &parsed.sha256]);
        let m = matched.get(&row.row);
        let provenance_words =
            format!("row {n} of list {list:?} version {version} ({file_name}, sha256 {short}…)");
        let (subject, summary) = match m {
            Some(m) => (
                m.person.clone(),
                format!("{provenance_words} is {}: {}", m.person, m.why),
            ),
            None => (
                format!("list:{list}:{version}:{n}"),
                format!(
                    "{provenance_words} names {:?}, not in the register",
                    row.name
                ),
            ),
        };
        let row_conflicts: Vec<&Conflict> = conflicts.get(&row.row).cloned().unwrap_or_default();
        insert_row
            .execute(params![
                list,
                version,
                row.row as i64,
                row.name,
                json(row),
                m.map(|m| m.person.as_str()),
                m.map(|m| m.score),
                m.map(|m| m.why.as_str()),
                json(&row_conflicts),
                claim,
            ])
            .ctx(path, err)?;
        insert_claim
            .execute(params![
                claim,
                subject,
                summary,
                provenance.extractor_version,
                at
            ])
            .ctx(path, err)?;
    }
    Ok(())
}

//! Storing an article's persons: each is resolved to a register person (the resolver reads the
//! names stored so far, in this transaction), gets its name key, its claim, and a same-person
//! claim when the resolver was unsure; then the mentions, organisations and places.
//!
//! Invariants: every article person has a non-empty name key and a person claim; its `person` is
//! the effective register person (after reviewers' merges and splits) and `machine_person` what
//! the resolver chose; a mention points to one of the article's persons.

use super::{insert_claim, ArticleTx, ClaimRow};
use crate::error::{RegisterError, Result};
use crate::identity::{name_key, surname_key, KnownName, NameLookup, PersonResolver, Resolution};
use crate::sqlite::{to_json, Ctx, EFFECTIVE_PERSON_SQL};
use crate::stable_id;
use crate::types::ClaimKind;
use casebook_model::{ArticlePeople, ArticlePerson};
use rusqlite::{params, Connection};
use std::collections::HashMap;
use std::path::Path;

/// Identity lookups over the open write transaction.
struct TxLookup<'a> {
    conn: &'a Connection,
    path: &'a Path,
}

impl NameLookup for TxLookup<'_> {
    fn by_key(&mut self, key: &str) -> Result<Vec<KnownName>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT person, name FROM person_names WHERE name_key = ?1 LIMIT 8")
            .ctx(self.path, || "looking up a name".into())?;
        let rows = stmt
            .query_map([key], |r| {
                Ok(KnownName {
                    person: r.get(0)?,
                    name: r.get(1)?,
                })
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .ctx(self.path, || "looking up a name".into())?;
        Ok(rows)
    }

    fn names_since(&mut self, after: i64, limit: usize) -> Result<Vec<(i64, KnownName)>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT rowid, person, name FROM person_names WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
            )
            .ctx(self.path, || "reading new names".into())?;
        let rows = stmt
            .query_map(params![after, limit as i64], |r| {
                Ok((
                    r.get(0)?,
                    KnownName {
                        person: r.get(1)?,
                        name: r.get(2)?,
                    },
                ))
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .ctx(self.path, || "reading new names".into())?;
        Ok(rows)
    }

    fn by_surname(&mut self, surname: &str, limit: usize) -> Result<Vec<KnownName>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT person, name FROM person_names WHERE surname_key = ?1 LIMIT ?2")
            .ctx(self.path, || "looking up a surname".into())?;
        let rows = stmt
            .query_map(params![surname, limit as i64], |r| {
                Ok(KnownName {
                    person: r.get(0)?,
                    name: r.get(1)?,
                })
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .ctx(self.path, || "looking up a surname".into())?;
        Ok(rows)
    }
}

/// The register persons of an article's persons, by index.
pub(super) struct StoredPersons {
    /// The person the resolver chose for each article person.
    pub(super) machine: Vec<String>,
    /// The effective register person of each (after reviewers' merges and splits).
    pub(super) effective: Vec<String>,
    /// How many register persons this article added.
    pub(super) new_persons: usize,
}

/// Resolves and stores each of the article's persons, in order.
pub(super) fn write_persons(
    tx: &ArticleTx,
    people: &ArticlePeople,
    resolver: &dyn PersonResolver,
) -> Result<StoredPersons> {
    // The first mention of each article person is the evidence of the person claim.
    let mut first_mention: HashMap<usize, (usize, usize)> = HashMap::new();
    for m in &people.mentions {
        first_mention.entry(m.person).or_insert((m.start, m.end));
    }
    let mut stored = StoredPersons {
        machine: Vec::with_capacity(people.persons.len()),
        effective: Vec::with_capacity(people.persons.len()),
        new_persons: 0,
    };
    for (idx, person) in people.persons.iter().enumerate() {
        let (start, end) = first_mention.get(&idx).copied().unzip();
        let (machine_id, effective_id, created) =
            write_person(tx, idx, person, (start, end), resolver)?;
        stored.new_persons += created;
        stored.machine.push(machine_id);
        stored.effective.push(effective_id);
    }
    Ok(stored)
}

/// One article person: its register person, names, claims and row. Returns the machine and the
/// effective person and whether the register person was created (1) or known (0).
fn write_person(
    tx: &ArticleTx,
    idx: usize,
    person: &ArticlePerson,
    (start, end): (Option<usize>, Option<usize>),
    resolver: &dyn PersonResolver,
) -> Result<(String, String, usize)> {
    let (conn, path, err) = (tx.conn, tx.path, tx.err());
    let key = name_key(&person.name);
    if key.is_empty() {
        return Err(RegisterError::Invalid(format!(
            "article {}: person {idx} has an empty name",
            tx.article
        )));
    }
    let surname = surname_key(&key).to_string();
    let resolution = resolver.resolve(&person.name, &mut TxLookup { conn, path })?;
    let (machine_id, candidate) = match resolution {
        Resolution::Same(id) => (id, None),
        Resolution::Candidate { person: other, .. } => (stable_id("p", &[&key]), Some(other)),
        Resolution::New => (stable_id("p", &[&key]), None),
    };
    let created = conn
        .prepare_cached("INSERT OR IGNORE INTO persons (id, name, created_at) VALUES (?1, ?2, ?3)")
        .and_then(|mut s| s.execute(params![machine_id, person.name, tx.at]))
        .ctx(path, &err)?;
    conn.prepare_cached(
        "INSERT OR IGNORE INTO person_names (name_key, person, name, surname_key)
             VALUES (?1, ?2, ?3, ?4)",
    )
    .and_then(|mut s| s.execute(params![key, machine_id, person.name, surname]))
    .ctx(path, &err)?;
    if let Some(other) = candidate.filter(|o| *o != machine_id) {
        let claim = stable_id("c", &["same_person", &other, &machine_id]);
        insert_claim(
            conn,
            path,
            &ClaimRow {
                id: &claim,
                kind: ClaimKind::SamePerson,
                subject: &format!("{other}|{machine_id}"),
                article: tx.article,
                start,
                end,
                summary: &format!("{} may be the person {other}", person.name),
                version: tx.version,
                at: tx.at,
            },
        )?;
    }
    let effective_id: String = conn
        .prepare_cached(&format!("SELECT {EFFECTIVE_PERSON_SQL}"))
        .and_then(|mut s| s.query_row(params![machine_id, key], |r| r.get(0)))
        .ctx(path, &err)?;
    let claim = stable_id("c", &["person", tx.article, &idx.to_string(), &key]);
    conn.prepare_cached(
        "INSERT INTO article_persons (article_id, idx, name, name_key, descriptors_json,
               machine_person, person, claim_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut s| {
        s.execute(params![
            tx.article,
            idx as i64,
            person.name,
            key,
            to_json(&person.descriptors),
            machine_id,
            effective_id,
            claim
        ])
    })
    .ctx(path, &err)?;
    insert_claim(
        conn,
        path,
        &ClaimRow {
            id: &claim,
            kind: ClaimKind::Person,
            subject: &machine_id,
            article: tx.article,
            start,
            end,
            summary: &format!("{} is named in {}", person.name, tx.article),
            version: tx.version,
            at: tx.at,
        },
    )?;
    Ok((machine_id, effective_id, created))
}

/// The article's person mentions, each checked to point to one of its persons.
pub(super) fn write_mentions(tx: &ArticleTx, people: &ArticlePeople) -> Result<()> {
    for (seq, m) in people.mentions.iter().enumerate() {
        if m.person >= people.persons.len() {
            return Err(RegisterError::Invalid(format!(
                "article {}: mention {seq} points to person {} of {}",
                tx.article,
                m.person,
                people.persons.len()
            )));
        }
        tx.conn
            .prepare_cached(
                "INSERT INTO mentions (article_id, seq, person_idx, text, start, \"end\")
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    tx.article,
                    seq as i64,
                    m.person as i64,
                    m.text,
                    m.start as i64,
                    m.end as i64
                ])
            })
            .ctx(tx.path, tx.err())?;
    }
    Ok(())
}

/// The organisations and places the article names.
pub(super) fn write_entities(tx: &ArticleTx, people: &ArticlePeople) -> Result<()> {
    for (seq, e) in people.entities.iter().enumerate() {
        let kind = match e.kind {
            casebook_model::EntityKind::Organization => "organization",
            casebook_model::EntityKind::Place => "place",
        };
        tx.conn
            .prepare_cached(
                "INSERT INTO entities (article_id, seq, kind, text, start, \"end\", canonical)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    tx.article,
                    seq as i64,
                    kind,
                    e.text,
                    e.start as i64,
                    e.end as i64,
                    e.canonical
                ])
            })
            .ctx(tx.path, tx.err())?;
    }
    Ok(())
}

//! The register a command reads, on either backend: a data directory's (`SqliteStore`) or one in
//! PostgreSQL (`--data postgres://…`, `PostgresRegister`), with the reads both serve so far.

use crate::Global;
use casebook_register::{
    AuditAnchor, AuditEntry, AuditReport, CaseFile, PersonRecord, PostgresRegister, Result,
    SqliteStore, Store,
};

pub enum Register {
    Sqlite(SqliteStore),
    Postgres(Box<PostgresRegister>),
}

/// The same call on whichever backend holds the register.
macro_rules! on_either {
    ($register:expr, $r:ident => $call:expr) => {
        match $register {
            Register::Sqlite($r) => $call,
            Register::Postgres($r) => $call,
        }
    };
}

impl Register {
    /// Opens the register `--data` names: a `postgres://` URL, else a data directory.
    pub fn open(global: &Global) -> anyhow::Result<Register> {
        let data = global.data.to_string_lossy();
        Ok(if casebook_register::postgres::is_url(&data) {
            Register::Postgres(Box::new(PostgresRegister::connect(&data)?))
        } else {
            Register::Sqlite(casebook_register::open(&global.data)?)
        })
    }

    pub fn find_persons(&self, text: &str, limit: usize) -> Result<Vec<PersonRecord>> {
        on_either!(self, r => r.find_persons(text, limit))
    }

    pub fn case_file(&self, id: &str) -> Result<CaseFile> {
        on_either!(self, r => r.case_file(id))
    }

    pub fn verify_audit(&self) -> Result<AuditReport> {
        on_either!(self, r => r.verify_audit())
    }

    pub fn verify_audit_anchor(
        &self,
        anchor: &AuditAnchor,
        key: Option<&[u8]>,
    ) -> Result<Vec<String>> {
        on_either!(self, r => r.verify_audit_anchor(anchor, key))
    }

    pub fn replay_problems(&self) -> Result<Vec<String>> {
        on_either!(self, r => r.replay_problems())
    }

    pub fn audit_head(&self) -> Result<Option<AuditAnchor>> {
        on_either!(self, r => r.audit_head())
    }

    pub fn audit_entries(&self, from: i64, limit: usize) -> Result<Vec<AuditEntry>> {
        on_either!(self, r => r.audit_entries(from, limit))
    }
}

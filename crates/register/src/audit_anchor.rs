//! Anchoring the audit chain outside the store. The chain alone shows an entry changed in place,
//! but not the last entries deleted, nor the whole tail rewritten with its hashes recomputed: an
//! anchor (the head's sequence number and hash, printed by `casebook audit head` and kept
//! elsewhere) catches both, as the chain must still hold that entry unchanged. An optional HMAC
//! over the anchor, with a key kept apart from the data directory, shows the anchor itself was
//! not forged by whoever could rewrite the store.

use crate::error::{RegisterError, Result};
use crate::sql::Db;
use crate::sqlite::SqliteStore;
use sha2::{Digest, Sha256};

/// The head of the chain, or an anchor taken from it earlier: `SEQ:HASH[:MAC]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditAnchor {
    pub seq: i64,
    pub hash: String,
    /// HMAC-SHA256 (hex) over `SEQ:HASH` with the operator's key, when signed.
    pub mac: Option<String>,
}

impl AuditAnchor {
    /// Reads `SEQ:HASH` or `SEQ:HASH:MAC`.
    pub fn parse(text: &str) -> Result<AuditAnchor> {
        let bad = |why: &str| {
            RegisterError::Invalid(format!(
                "the anchor {text:?} is not SEQ:HASH or SEQ:HASH:MAC ({why})"
            ))
        };
        let mut parts = text.trim().split(':');
        let seq = parts
            .next()
            .and_then(|s| s.parse::<i64>().ok())
            .filter(|s| *s >= 1)
            .ok_or_else(|| bad("the sequence number is not a positive number"))?;
        let hex64 = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
        let hash = parts
            .next()
            .filter(|h| hex64(h))
            .ok_or_else(|| bad("the hash is not 64 hex digits"))?
            .to_ascii_lowercase();
        let mac = match parts.next() {
            None => None,
            Some(m) if hex64(m) => Some(m.to_ascii_lowercase()),
            Some(_) => return Err(bad("the MAC is not 64 hex digits")),
        };
        if parts.next().is_some() {
            return Err(bad("too many parts"));
        }
        Ok(AuditAnchor { seq, hash, mac })
    }

    /// Signs the anchor with `key`.
    pub fn signed(mut self, key: &[u8]) -> AuditAnchor {
        self.mac = Some(hmac_sha256_hex(key, self.message().as_bytes()));
        self
    }

    fn message(&self) -> String {
        format!("{}:{}", self.seq, self.hash)
    }
}

impl std::fmt::Display for AuditAnchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)?;
        if let Some(mac) = &self.mac {
            write!(f, ":{mac}")?;
        }
        Ok(())
    }
}

/// HMAC-SHA256 (RFC 2104) in hex.
fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    const BLOCK: usize = 64;
    let mut block_key = [0u8; BLOCK];
    if key.len() > BLOCK {
        block_key[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block_key[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block_key.map(|k| k ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    let outer = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    hex::encode(outer)
}

fn equal_in_constant_time(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl SqliteStore {
    /// The last entry of the audit chain as an anchor; `None` for an empty log.
    pub fn audit_head(&self) -> Result<Option<AuditAnchor>> {
        head(&self.db())
    }

    /// Checks that the chain still holds the anchor's entry unchanged and is whole up to its
    /// head; with `key`, also the anchor's MAC. Returns the problems found (none: the log was
    /// neither truncated nor rewritten since the anchor was taken).
    pub fn verify_audit_anchor(
        &self,
        anchor: &AuditAnchor,
        key: Option<&[u8]>,
    ) -> Result<Vec<String>> {
        check(&self.db(), anchor, key)
    }

    /// Every row of reviewers' state that does not replay from the audit log, one line each.
    pub fn replay_problems(&self) -> Result<Vec<String>> {
        crate::audit_replay::replay_problems(&self.db())
    }
}

/// The last entry of the chain as an anchor, on either backend.
pub(crate) fn head(db: &dyn Db) -> Result<Option<AuditAnchor>> {
    Ok(crate::audit_log::head(db)?.map(|(seq, hash)| AuditAnchor {
        seq,
        hash,
        mac: None,
    }))
}

/// [`SqliteStore::verify_audit_anchor`] on either backend.
pub(crate) fn check(db: &dyn Db, anchor: &AuditAnchor, key: Option<&[u8]>) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    match (key, &anchor.mac) {
        (Some(key), Some(mac)) => {
            let expected = hmac_sha256_hex(key, anchor.message().as_bytes());
            if !equal_in_constant_time(&expected, mac) {
                problems.push(
                    "the anchor's MAC does not match: the anchor was altered, or the key is not the one it was signed with"
                        .to_string(),
                );
            }
        }
        (Some(_), None) => problems.push(
            "the anchor carries no MAC to check against the key (take one with `casebook audit head --key FILE`)"
                .to_string(),
        ),
        (None, Some(_)) => {
            problems.push("the anchor is signed: give the key (--key FILE) to check it".to_string())
        }
        (None, None) => {}
    }
    let found = crate::audit_log::hash_at(db, anchor.seq)?;
    let head = crate::audit_log::head(db)?.map_or(0, |(seq, _)| seq);
    match found {
        None => problems.push(format!(
            "the audit log ends at entry {head}, before the anchored entry {}: entries were removed",
            anchor.seq
        )),
        Some(hash) if !equal_in_constant_time(&hash, &anchor.hash) => problems.push(format!(
            "audit entry {} differs from the anchor: the log was rewritten from there or before",
            anchor.seq
        )),
        Some(_) => {}
    }
    if let Some((seq, why)) = crate::audit_log::verify(db)?.broken {
        problems.push(format!("audit entry {seq}: {why}"));
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_the_rfc_4231_test_vector() {
        // RFC 4231, test case 2.
        assert_eq!(
            hmac_sha256_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn anchors_read_back_what_they_print_and_refuse_anything_else() {
        let hash = "ab".repeat(32);
        let anchor = AuditAnchor::parse(&format!("12:{hash}")).unwrap();
        assert_eq!((anchor.seq, anchor.mac.as_deref()), (12, None));
        let signed = anchor.clone().signed(b"kept on another machine");
        assert_eq!(AuditAnchor::parse(&signed.to_string()).unwrap(), signed);
        for bad in [
            "",
            "12",
            "0:abc",
            &format!("x:{hash}"),
            &format!("3:{hash}:zz"),
            &format!("3:{hash}:{hash}:{hash}"),
        ] {
            assert!(AuditAnchor::parse(bad).is_err(), "{bad}");
        }
    }
}

//! Accounts, roles and sessions, kept in `DATA/accounts.sqlite`, apart from the evidence register.
//!
//! Passwords are stored only as Argon2id hashes (memory-hard, so a stolen file is slow to crack).
//! Session tokens are random; only their SHA-256 is stored, so the file alone opens no session.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// The accounts file's name in the data directory.
pub const ACCOUNTS_FILE: &str = "accounts.sqlite";

/// How long a session lasts after login.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// What an account may do. Each role may do everything the roles before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads everything the team sees.
    Viewer,
    /// Also reviews, edits and ingests.
    Analyst,
    /// Also manages accounts and settings.
    Admin,
}

impl Role {
    /// Every role, least powerful first.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Analyst, Role::Admin];

    /// The stored and printed word.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    /// Reads the word back.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// An account as listed (never with its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created_at: String,
}

/// A live session: who, and the token forms must echo back (CSRF protection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf: String,
}

/// A session just opened: the secret for the cookie, and the session.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub session: Session,
}

/// Errors of the accounts store.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// A request that cannot be carried out as asked (bad name, short password, duplicate user).
    #[error("{0}")]
    Invalid(String),
    /// The accounts file could not be read or written.
    #[error("accounts store {path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// Hashing failed (only on a broken system random source).
    #[error("password hashing failed: {0}")]
    Hash(String),
}

/// The accounts store: one SQLite file, one connection behind a lock (account traffic is light).
pub struct Accounts {
    conn: Mutex<Connection>,
    path: PathBuf,
}

/// Numbered migrations (a new schema change is a new number, never an edit of an old one). The
/// first keeps `IF NOT EXISTS`: files made before the numbering have its tables already.
const MIGRATIONS: &[casebook_migrate::Migration] = &[(1, SCHEMA_1)];

const SCHEMA_1: &str = "
CREATE TABLE IF NOT EXISTS users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_sha256  TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    csrf          TEXT NOT NULL,
    expires_at    INTEGER NOT NULL
);
";

/// `n` random bytes from the operating system, as hex.
pub fn random_hex(n: usize) -> Result<String, AccountError> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| AccountError::Hash(e.to_string()))?;
    Ok(hex::encode(buf))
}

fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

fn valid_user_name(name: &str) -> bool {
    (2..=64).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
}

/// The Argon2 hash, with a fresh salt, of a new password long enough to keep.
fn hash_new_password(password: &str) -> Result<String, AccountError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountError::Invalid(format!(
            "a password needs at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| AccountError::Hash(e.to_string()))?
        .to_string())
}

impl Accounts {
    /// Opens (creating if need be) the accounts file in the data directory.
    pub fn open(data_dir: &Path) -> Result<Accounts, AccountError> {
        let path = data_dir.join(ACCOUNTS_FILE);
        let sql = |source| AccountError::Sqlite {
            path: path.clone(),
            source,
        };
        if let Err(e) = std::fs::create_dir_all(data_dir) {
            return Err(AccountError::Invalid(format!(
                "cannot create the data directory {}: {e}",
                data_dir.display()
            )));
        }
        let mut conn = Connection::open(&path).map_err(sql)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(sql)?;
        casebook_migrate::migrate(&mut conn, MIGRATIONS).map_err(|e| match e {
            casebook_migrate::MigrateError::Sqlite(source) => sql(source),
            newer => AccountError::Invalid(format!("{}: {newer}", path.display())),
        })?;
        Ok(Accounts {
            conn: Mutex::new(conn),
            path,
        })
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, AccountError> {
        // A poisoned lock only means another request panicked mid-call; SQLite kept its own state.
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&conn).map_err(|source| AccountError::Sqlite {
            path: self.path.clone(),
            source,
        })
    }

    /// Number of accounts.
    pub fn count(&self) -> Result<u64, AccountError> {
        self.with(|c| c.query_row("SELECT COUNT(*) FROM users", [], |r| r.get::<_, i64>(0)))
            .map(|n| n.max(0) as u64)
    }

    /// Creates an account.
    pub fn add_user(&self, name: &str, password: &str, role: Role) -> Result<User, AccountError> {
        if !valid_user_name(name) {
            return Err(AccountError::Invalid(
                "a user name has 2 to 64 letters, digits or . - _ @".into(),
            ));
        }
        let hash = hash_new_password(password)?;
        let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let inserted = self.with(|c| {
            c.execute(
                "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(name) DO NOTHING",
                params![name, role.as_str(), hash, created],
            )
        })?;
        if inserted == 0 {
            return Err(AccountError::Invalid(format!(
                "the user {name:?} exists already"
            )));
        }
        self.user_by_name(name)?
            .ok_or_else(|| AccountError::Invalid(format!("the user {name:?} was not stored")))
    }

    fn user_by_name(&self, name: &str) -> Result<Option<User>, AccountError> {
        self.with(|c| {
            c.query_row(
                "SELECT id, name, role, created_at FROM users WHERE name = ?1",
                [name],
                user_row,
            )
            .optional()
        })
    }

    /// Every account, by name.
    pub fn users(&self) -> Result<Vec<User>, AccountError> {
        self.with(|c| {
            let mut stmt =
                c.prepare("SELECT id, name, role, created_at FROM users ORDER BY name")?;
            let rows = stmt.query_map([], user_row)?;
            rows.collect()
        })
    }

    /// Checks a name and password; the user when they match. Takes the same time for an unknown
    /// name as for a wrong password, so a caller cannot tell which names exist.
    pub fn verify(&self, name: &str, password: &str) -> Result<Option<User>, AccountError> {
        let row: Option<(User, String)> = self.with(|c| {
            c.query_row(
                "SELECT id, name, role, created_at, password_hash FROM users WHERE name = ?1",
                [name],
                |r| Ok((user_row(r)?, r.get::<_, String>(4)?)),
            )
            .optional()
        })?;
        let (user, stored) = match row {
            Some((u, h)) => (Some(u), h),
            None => (None, DUMMY_HASH.to_string()),
        };
        let parsed = PasswordHash::new(&stored).map_err(|e| AccountError::Hash(e.to_string()))?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(if ok { user } else { None })
    }

    /// Opens a session for a user.
    pub fn open_session(&self, user: &User) -> Result<NewSession, AccountError> {
        let token = random_hex(32)?;
        let csrf = random_hex(32)?;
        let expires = now_secs() + SESSION_LIFETIME.as_secs() as i64;
        let digest = token_digest(&token);
        self.with(|c| {
            c.execute("DELETE FROM sessions WHERE expires_at < ?1", [now_secs()])?;
            c.execute(
                "INSERT INTO sessions (token_sha256, user_id, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![digest, user.id, csrf, expires],
            )
        })?;
        Ok(NewSession {
            token,
            session: Session {
                user: user.clone(),
                csrf,
            },
        })
    }

    /// The live session a cookie token names, if any.
    pub fn session(&self, token: &str) -> Result<Option<Session>, AccountError> {
        let digest = token_digest(token);
        self.with(|c| {
            c.query_row(
                "SELECT u.id, u.name, u.role, u.created_at, s.csrf FROM sessions s
                   JOIN users u ON u.id = s.user_id
                  WHERE s.token_sha256 = ?1 AND s.expires_at >= ?2",
                params![digest, now_secs()],
                |r| {
                    Ok(Session {
                        user: user_row(r)?,
                        csrf: r.get(4)?,
                    })
                },
            )
            .optional()
        })
    }

    /// Ends a session.
    pub fn close_session(&self, token: &str) -> Result<(), AccountError> {
        let digest = token_digest(token);
        self.with(|c| c.execute("DELETE FROM sessions WHERE token_sha256 = ?1", [digest]))
            .map(|_| ())
    }
}

impl Accounts {
    /// Changes an account's role; `None` when no account has the name. The last admin cannot be
    /// demoted, so the server always keeps someone who can manage accounts.
    pub fn set_role(&self, name: &str, role: Role) -> Result<Option<(User, Role)>, AccountError> {
        let Some(user) = self.user_by_name(name)? else {
            return Ok(None);
        };
        if user.role == Role::Admin && role != Role::Admin {
            let admins: i64 = self.with(|c| {
                c.query_row("SELECT COUNT(*) FROM users WHERE role = 'admin'", [], |r| {
                    r.get(0)
                })
            })?;
            if admins <= 1 {
                return Err(AccountError::Invalid(format!(
                    "{name} is the only admin: make another account admin first"
                )));
            }
        }
        self.with(|c| {
            c.execute(
                "UPDATE users SET role = ?2 WHERE id = ?1",
                params![user.id, role.as_str()],
            )
        })?;
        let before = user.role;
        Ok(Some((User { role, ..user }, before)))
    }

    /// Sets a new password for an account and ends its other sessions (a changed password locks
    /// out whoever else was using the old one); `keep` is the session token that stays open.
    pub fn set_password(
        &self,
        user: &User,
        password: &str,
        keep: Option<&str>,
    ) -> Result<(), AccountError> {
        let hash = hash_new_password(password)?;
        let kept = keep.map(token_digest).unwrap_or_default();
        self.with(|c| {
            c.execute(
                "UPDATE users SET password_hash = ?2 WHERE id = ?1",
                params![user.id, hash],
            )?;
            c.execute(
                "DELETE FROM sessions WHERE user_id = ?1 AND token_sha256 != ?2",
                params![user.id, kept],
            )
        })?;
        Ok(())
    }
}

/// A valid Argon2id hash of a random password, checked against when the user name is unknown so
/// that both paths do the same work.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0m8Wq1bT6G6rJb1Xc0cCq8k0wq7S3h3Uo2kq7m0Kx6I";

fn user_row(r: &rusqlite::Row) -> rusqlite::Result<User> {
    let role: String = r.get(2)?;
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::Viewer),
        created_at: r.get(3)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_sessions_and_passwords() {
        let dir = tempfile::tempdir().unwrap();
        let accounts = Accounts::open(dir.path()).unwrap();
        assert_eq!(accounts.count().unwrap(), 0);
        let admin = accounts
            .add_user("amina", "correct horse battery", Role::Admin)
            .unwrap();
        assert_eq!(admin.role, Role::Admin);
        assert!(matches!(
            accounts.add_user("amina", "another long password", Role::Viewer),
            Err(AccountError::Invalid(_))
        ));
        assert!(matches!(
            accounts.add_user("bob", "short", Role::Viewer),
            Err(AccountError::Invalid(_))
        ));
        assert!(accounts
            .verify("amina", "wrong password!!")
            .unwrap()
            .is_none());
        assert!(accounts
            .verify("nobody", "correct horse battery")
            .unwrap()
            .is_none());
        let user = accounts
            .verify("amina", "correct horse battery")
            .unwrap()
            .unwrap();
        let stored: String = accounts
            .with(|c| c.query_row("SELECT password_hash FROM users", [], |r| r.get(0)))
            .unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        let new = accounts.open_session(&user).unwrap();
        assert_eq!(
            accounts.session(&new.token).unwrap().unwrap().user.name,
            "amina"
        );
        assert!(accounts.session("not a token").unwrap().is_none());
        accounts.close_session(&new.token).unwrap();
        assert!(accounts.session(&new.token).unwrap().is_none());
    }

    #[test]
    fn roles_and_passwords_change_and_the_last_admin_stays() {
        let dir = tempfile::tempdir().unwrap();
        let accounts = Accounts::open(dir.path()).unwrap();
        accounts
            .add_user("amina", "correct horse battery", Role::Admin)
            .unwrap();
        let bekir = accounts
            .add_user("bekir", "another long password", Role::Viewer)
            .unwrap();
        assert!(matches!(
            accounts.set_role("amina", Role::Viewer),
            Err(AccountError::Invalid(_))
        ));
        assert!(accounts.set_role("nobody", Role::Admin).unwrap().is_none());
        let (changed, before) = accounts.set_role("bekir", Role::Analyst).unwrap().unwrap();
        assert_eq!((changed.role, before), (Role::Analyst, Role::Viewer));
        let one = accounts.open_session(&bekir).unwrap();
        let two = accounts.open_session(&bekir).unwrap();
        assert!(matches!(
            accounts.set_password(&bekir, "short", Some(&one.token)),
            Err(AccountError::Invalid(_))
        ));
        accounts
            .set_password(&bekir, "a brand new passphrase", Some(&one.token))
            .unwrap();
        assert!(accounts.session(&one.token).unwrap().is_some());
        assert!(accounts.session(&two.token).unwrap().is_none());
        assert!(accounts
            .verify("bekir", "another long password")
            .unwrap()
            .is_none());
        assert_eq!(
            accounts
                .verify("bekir", "a brand new passphrase")
                .unwrap()
                .unwrap()
                .role,
            Role::Analyst
        );
    }
}

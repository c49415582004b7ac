//! `casebook user`: accounts of the web application (kept in DATA/accounts.sqlite).

use crate::Global;
use anyhow::{bail, Context};
use casebook_register::Store;
use std::io::BufRead;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Create an account. The password is read from the first line of standard input (or the
    /// CASEBOOK_PASSWORD variable), so it never shows in the process list or the shell history.
    Add {
        /// The user name.
        name: String,
        /// viewer (reads), analyst (reviews, edits, ingests) or admin (also manages users).
        #[arg(long, default_value = "viewer")]
        role: String,
        /// Who creates the account, for the register's audit log.
        #[arg(long, env = "CASEBOOK_ACTOR", default_value = "casebook-user")]
        by: String,
    },
    /// List the accounts.
    List,
}

pub fn run(cmd: Command, global: &Global) -> anyhow::Result<ExitCode> {
    let accounts = casebook_web::Accounts::open(&global.data)
        .with_context(|| format!("opening the accounts in {}", global.data.display()))?;
    match cmd {
        Command::Add { name, role, by } => {
            let Some(role) = casebook_web::Role::parse(&role) else {
                bail!("unknown role {role:?}: use viewer, analyst or admin");
            };
            let password = match std::env::var("CASEBOOK_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    eprintln!("password for {name} (one line on standard input):");
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .context("reading the password from standard input")?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let user = accounts.add_user(&name, &password, role)?;
            // Recorded like every other write, under who ran the command; never the password.
            let mut store = casebook_register::open(&global.data)?;
            store
                .record_action(
                    &by,
                    "account_create",
                    &user.name,
                    &serde_json::json!({"role": user.role.as_str(), "via": "command line"}),
                )
                .context("recording the new account in the audit log")?;
            println!("added {} ({})", user.name, user.role.as_str());
        }
        Command::List => {
            for u in accounts.users()? {
                println!("{}\t{}\t{}", u.name, u.role.as_str(), u.created_at);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

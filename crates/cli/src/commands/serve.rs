//! `casebook serve`: the web application and JSON API over the register.

use crate::Global;
use anyhow::Context;
use std::net::SocketAddr;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Public read-only mode: no logins, only confirmed facts, protected people and fields never shown.
    #[arg(long)]
    public: bool,
    /// Send the session cookie over plain HTTP too (only behind a trusted network; by default the
    /// cookie is `Secure`, which browsers send over HTTPS and to localhost only).
    #[arg(long)]
    insecure_cookies: bool,
    /// The largest upload accepted, in megabytes.
    #[arg(long, default_value_t = 32)]
    max_upload_mb: usize,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let mut config = casebook_web::Config::new(&global.data);
    config.public = args.public;
    config.secure_cookies = !args.insecure_cookies;
    config.max_body_bytes = args.max_upload_mb.max(1) * 1024 * 1024;
    if !args.public {
        let accounts = casebook_web::Accounts::open(&global.data)
            .with_context(|| format!("opening the accounts in {}", global.data.display()))?;
        if accounts.count()? == 0 {
            eprintln!(
                "casebook: no account yet; create the first admin with `casebook user add NAME --role admin`"
            );
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(casebook_web::serve(config, args.addr))?;
    Ok(ExitCode::SUCCESS)
}

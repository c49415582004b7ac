//! `casebook names`.

use crate::Global;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {}

pub fn run(command: Command, _global: &Global) -> anyhow::Result<ExitCode> {
    match command {}
}

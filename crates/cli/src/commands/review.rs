//! `casebook review`: list claims; confirm, reject, edit, merge, split, set visibility, undo.
//! Every action is a recorded decision (kept through re-runs of the pipeline) and an audit entry.

use crate::Global;
use casebook_register::{
    ClaimFilter, ClaimKind, Decision, DecisionRecord, ReviewState, Store, Visibility,
};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// List claims (suggested ones by default).
    List {
        /// suggested, confirmed, rejected or all.
        #[arg(long, default_value = "suggested")]
        state: String,
        /// person, event, case or same_person.
        #[arg(long)]
        kind: Option<String>,
        /// Only claims about this person, event or case id.
        #[arg(long)]
        subject: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Confirm claims; an event, case or person id confirms all its claims.
    Confirm {
        #[arg(required = true)]
        targets: Vec<String>,
        #[command(flatten)]
        who: Who,
    },
    /// Reject claims; an event, case or person id rejects all its claims.
    Reject {
        #[arg(required = true)]
        targets: Vec<String>,
        #[command(flatten)]
        who: Who,
    },
    /// Set a field: person name/status, event type/date/place, case name.
    Edit {
        target: String,
        field: String,
        value: String,
        #[command(flatten)]
        who: Who,
    },
    /// The two persons are one: FROM is folded into INTO.
    Merge {
        into: String,
        from: String,
        #[command(flatten)]
        who: Who,
    },
    /// The names given belong to another person than PERSON: move them to a new person.
    Split {
        person: String,
        #[arg(long = "name", required = true)]
        names: Vec<String>,
        #[command(flatten)]
        who: Who,
    },
    /// Who may see a person (public, initials, hidden), or one field of theirs (--field).
    Visibility {
        person: String,
        level: String,
        /// name, names or status.
        #[arg(long)]
        field: Option<String>,
        #[command(flatten)]
        who: Who,
    },
    /// Reverse an earlier decision (recorded as a new decision).
    Undo {
        decision: i64,
        #[command(flatten)]
        who: Who,
    },
    /// The latest decisions, newest first.
    Decisions {
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Fit the machine's confidence to the decisions so far and re-rank the queue's open articles.
    Calibrate {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        who: Who,
    },
}

/// The reviewer recorded with a decision.
#[derive(clap::Args)]
pub struct Who {
    /// Who decides (recorded in the decision and the audit log).
    #[arg(long = "by", env = "CASEBOOK_REVIEWER")]
    pub by: Option<String>,
}

impl Who {
    fn name(&self) -> String {
        self.by
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "reviewer".to_string())
    }
}

fn print_decision(d: &DecisionRecord) {
    println!(
        "decision {}: {} {} by {} at {}",
        d.id, d.action, d.target, d.actor, d.at
    );
}

pub fn run(command: Command, global: &Global) -> anyhow::Result<ExitCode> {
    let mut store = casebook_register::open(&global.data)?;
    let mut decide = |who: &Who, d: Decision| -> anyhow::Result<()> {
        let rec = store.decide(&who.name(), &d)?;
        print_decision(&rec);
        Ok(())
    };
    match command {
        Command::List {
            state,
            kind,
            subject,
            limit,
            json,
        } => list(&store, &state, kind.as_deref(), subject, limit, json)?,
        Command::Confirm { targets, who } => {
            for target in targets {
                decide(&who, Decision::Confirm { target })?;
            }
        }
        Command::Reject { targets, who } => {
            for target in targets {
                decide(&who, Decision::Reject { target })?;
            }
        }
        Command::Edit {
            target,
            field,
            value,
            who,
        } => decide(
            &who,
            Decision::Edit {
                target,
                field,
                value,
            },
        )?,
        Command::Merge { into, from, who } => decide(&who, Decision::Merge { into, from })?,
        Command::Split { person, names, who } => decide(&who, Decision::Split { person, names })?,
        Command::Visibility {
            person,
            level,
            field,
            who,
        } => {
            let level = Visibility::parse(&level).ok_or_else(|| {
                anyhow::anyhow!("unknown visibility {level:?}: use public, initials or hidden")
            })?;
            decide(
                &who,
                Decision::SetVisibility {
                    person,
                    field,
                    level,
                },
            )?
        }
        Command::Undo { decision, who } => {
            let rec = store.undo(&who.name(), decision)?;
            print_decision(&rec);
        }
        Command::Decisions { limit } => {
            for d in store.decisions(limit)? {
                let undone = d
                    .undone_by
                    .map(|u| format!(" (undone by {u})"))
                    .unwrap_or_default();
                println!(
                    "{:>6}  {}  {:<10} {:<24} {}{undone}",
                    d.id, d.at, d.action, d.target, d.actor
                );
            }
        }
        Command::Calibrate { json, who } => {
            let c = store.calibrate_confidence()?;
            store.record_action(
                &who.name(),
                "calibrate",
                "confidence",
                &serde_json::to_value(&c)?,
            )?;
            if json {
                println!("{}", serde_json::to_string_pretty(&c)?);
            } else {
                let brier =
                    |b: Option<f64>| b.map_or_else(|| "-".to_string(), |b| format!("{b:.3}"));
                println!(
                    "confidence fitted on {} decided claims in {} profiles; Brier score on them {} before, {} after; {} open articles re-ranked",
                    c.decided,
                    c.profiles,
                    brier(c.brier_before),
                    brier(c.brier_after),
                    c.reranked
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `casebook review list`: claims with their article as a reviewer knows it and the machine's
/// confidence.
fn list(
    store: &casebook_register::SqliteStore,
    state: &str,
    kind: Option<&str>,
    subject: Option<String>,
    limit: usize,
    json: bool,
) -> anyhow::Result<()> {
    let state = match state {
        "all" => None,
        s => Some(ReviewState::parse(s).ok_or_else(|| {
            anyhow::anyhow!("unknown review state {s:?}: use suggested, confirmed, rejected or all")
        })?),
    };
    let kind = match kind {
        None => None,
        Some(k) => Some(ClaimKind::parse(k).ok_or_else(|| {
            anyhow::anyhow!("unknown claim kind {k:?}: use person, event, case or same_person")
        })?),
    };
    let mut claims = store.claims(&ClaimFilter {
        state,
        kind,
        subject,
        limit,
    })?;
    // Each claim with the article it was read from, as a reviewer knows it: title,
    // outlet, date and language, not the article's hash.
    let mut ids: Vec<String> = claims.iter().filter_map(|c| c.article.clone()).collect();
    ids.sort();
    ids.dedup();
    let meta = store.article_meta_of(&ids)?;
    for c in &mut claims {
        casebook_register::titled_summary(c, &meta);
    }
    let source_of = |c: &casebook_register::Claim| c.article.as_ref().and_then(|a| meta.get(a));
    let ids: Vec<String> = claims.iter().map(|c| c.id.clone()).collect();
    let confidence = store.claim_confidences(&ids)?;
    if json {
        let mut rows = Vec::with_capacity(claims.len());
        for c in &claims {
            let mut row = serde_json::to_value(c)?;
            if let Some((value, profile)) = confidence.get(&c.id) {
                row["confidence"] = serde_json::json!(value);
                row["profile"] = serde_json::json!(profile);
            }
            if let Some(m) = source_of(c) {
                row["source"] = serde_json::json!({
                    "title": m.title,
                    "outlet": m.outlet,
                    "published": m.published,
                    "language": m.language,
                });
            }
            rows.push(row);
        }
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for c in &claims {
            let source = source_of(c).map_or_else(String::new, |m| {
                let parts = [&m.title, &m.outlet, &m.published, &m.language];
                let parts: Vec<&str> = parts
                    .iter()
                    .map(|p| p.as_str())
                    .filter(|p| !p.is_empty())
                    .collect();
                format!("  [{}]", parts.join(" · "))
            });
            let confidence = confidence.get(&c.id).map_or_else(
                || "  -".to_string(),
                |(v, _)| format!("{:>3}", (v * 100.0).round()),
            );
            println!(
                "{}  {:<11} {:<10} {confidence}%  {}{source}",
                c.id,
                c.kind.as_str(),
                c.state.as_str(),
                c.summary
            );
        }
        eprintln!("{} claims", claims.len());
    }
    Ok(())
}

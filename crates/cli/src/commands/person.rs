//! `casebook person`: a person's case file (names, status, timeline with evidence), of a data
//! directory's register or of one in PostgreSQL.

use crate::register::Register;
use crate::Global;
use casebook_register::CaseFile;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// A person id (`p-…`) or part of a name.
    pub person: String,
    /// Print the case file as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let store = Register::open(global)?;
    let id = if args.person.starts_with("p-") {
        args.person.clone()
    } else {
        let found = store.find_persons(&args.person, 50)?;
        match found.as_slice() {
            [] => anyhow::bail!("no person in the register has a name containing the text given"),
            [one] => one.id.clone(),
            many => {
                println!("{} persons match; choose one by id:", many.len());
                for p in many {
                    println!(
                        "  {}  {}  ({}, {} articles)",
                        p.id,
                        p.name,
                        p.status.as_str(),
                        p.articles
                    );
                }
                return Ok(ExitCode::SUCCESS);
            }
        }
    };
    let file = store.case_file(&id)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&file)?);
    } else {
        print_case_file(&file);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_case_file(file: &CaseFile) {
    let p = &file.person;
    println!("{}  {}", p.id, p.name);
    println!("  status:      {}", p.status.as_str());
    println!("  visibility:  {}", p.visibility.as_str());
    for (field, level) in &p.field_visibility {
        println!("  visibility of {field}: {}", level.as_str());
    }
    println!("  names:       {}", p.names.join(" | "));
    if !file.descriptors.is_empty() {
        println!("  described as: {}", file.descriptors.join(", "));
    }
    println!("  articles:    {}", p.articles);
    println!();
    println!("Timeline ({} events)", file.timeline.len());
    for e in &file.timeline {
        println!(
            "  {}  {:<24} {}  [{}]  {}",
            e.date.as_deref().unwrap_or("undated"),
            e.event_type,
            e.place.as_deref().unwrap_or("-"),
            e.review.as_str(),
            e.id
        );
        if !e.perpetrators.is_empty() {
            println!("      by: {}", e.perpetrators.join(", "));
        }
        for (k, v) in &e.details {
            println!("      {k}: {v}");
        }
        for c in &e.conflicts {
            let values: Vec<String> = c
                .values
                .iter()
                .map(|v| format!("{} (article {})", v.value, v.articles.join(", ")))
                .collect();
            println!(
                "      sources disagree on {}: {}",
                c.field,
                values.join(" / ")
            );
        }
        for s in &e.sources {
            println!("      \"{}\"", s.text);
            println!(
                "        — article {} chars {}..{} [{}] claim {}",
                s.article,
                s.start,
                s.end,
                s.review.as_str(),
                s.claim
            );
        }
    }
    if !file.cases.is_empty() {
        println!();
        println!("Cases");
        for c in &file.cases {
            println!(
                "  {}  {} ({} defendants, {} events) [{}]",
                c.id,
                c.name,
                c.defendants.len(),
                c.events.len(),
                c.review.as_str()
            );
            if c.names.len() > 1 {
                println!("      also named: {}", c.names[1..].join(" | "));
            }
            for r in &c.reports {
                println!(
                    "      article {} calls it \"{}\", defendants {}",
                    r.article,
                    r.name,
                    if r.defendants.is_empty() {
                        "-".to_string()
                    } else {
                        r.defendants.join(", ")
                    }
                );
            }
        }
    }
    if !file.possible_duplicates.is_empty() {
        println!();
        println!("Possibly the same person (confirm or reject with `casebook review`)");
        for c in &file.possible_duplicates {
            println!("  {}  {}", c.id, c.summary);
        }
    }
}

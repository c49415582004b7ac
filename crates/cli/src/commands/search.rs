//! `casebook search`: full-text and cross-script name search over the register's index
//! (`DATA/index/`), with highlighted snippets and facet counts.

use crate::Global;
use anyhow::{bail, Context, Result};
use casebook_search::{FacetValue, Filters, Kind, Mode, Query, Results, SearchIndex};
use clap::ValueEnum;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Words, a "quoted phrase", `-excluded` words, `title:word`, or a name in any script or
    /// spelling. Empty lists everything that passes the filters.
    #[arg(default_value = "")]
    query: String,
    /// Match words exactly as typed: no transliteration, no name keys.
    #[arg(long, conflicts_with = "names")]
    exact: bool,
    /// Treat the query as a name only (people, victims, names mentioned in articles).
    #[arg(long)]
    names: bool,
    /// Only these kinds of record (repeatable).
    #[arg(long = "kind", value_enum)]
    kinds: Vec<KindArg>,
    /// Event type (`detention`, `search`, …).
    #[arg(long = "type")]
    event_type: Option<String>,
    #[arg(long)]
    year: Option<i32>,
    #[arg(long)]
    place: Option<String>,
    /// Person status (`serving_sentence`, `released`, …).
    #[arg(long)]
    status: Option<String>,
    /// Outlet (article site).
    #[arg(long)]
    outlet: Option<String>,
    /// Include people whose visibility is `hidden`.
    #[arg(long)]
    include_hidden: bool,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Article,
    Person,
    Event,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: Args, global: &Global) -> Result<ExitCode> {
    let dir = global.data.join("index");
    if !dir.join("meta.json").exists() {
        bail!(
            "there is no search index in {}; build it with `casebook reindex`",
            dir.display()
        );
    }
    let index = SearchIndex::open_or_create(&dir)?;
    let query = Query {
        text: args.query,
        mode: if args.exact {
            Mode::Exact
        } else if args.names {
            Mode::Names
        } else {
            Mode::Auto
        },
        kinds: args
            .kinds
            .iter()
            .map(|k| match k {
                KindArg::Article => Kind::Article,
                KindArg::Person => Kind::Person,
                KindArg::Event => Kind::Event,
            })
            .collect(),
        filters: Filters {
            event_type: args.event_type,
            year: args.year,
            place: args.place,
            status: args.status,
            outlet: args.outlet,
        },
        include_hidden: args.include_hidden,
        limit: args.limit,
        offset: args.offset,
    };
    let results = index.search(&query)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &results).context("writing the results")?;
            writeln!(out)?;
        }
        Format::Text => print_text(&mut out, &results, &query, stdout.is_terminal())?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print_text(out: &mut impl Write, r: &Results, q: &Query, terminal: bool) -> Result<()> {
    let (open, close) = if terminal {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let shown = r.hits.len();
    if shown == 0 {
        writeln!(out, "{} matches", r.total)?;
    } else {
        writeln!(
            out,
            "{} matches (showing {}–{})",
            r.total,
            q.offset + 1,
            q.offset + shown
        )?;
    }
    for hit in &r.hits {
        writeln!(out)?;
        writeln!(
            out,
            "{:<7} {}  {}  (score {:.2})",
            hit.kind.as_str(),
            hit.id,
            hit.title.as_deref().unwrap_or(""),
            hit.score
        )?;
        let snippet = hit.snippet.marked(open, close).replace('\n', " ");
        if !snippet.trim().is_empty() {
            writeln!(out, "        {snippet}")?;
        }
    }
    let groups: [(&str, &[FacetValue]); 6] = [
        ("kind", &r.facets.kind),
        ("type", &r.facets.event_type),
        ("year", &r.facets.year),
        ("place", &r.facets.place),
        ("status", &r.facets.status),
        ("outlet", &r.facets.outlet),
    ];
    if groups.iter().any(|(_, values)| !values.is_empty()) {
        writeln!(out)?;
        writeln!(out, "facets:")?;
        for (name, values) in groups {
            if values.is_empty() {
                continue;
            }
            let list: Vec<String> = values
                .iter()
                .map(|v| format!("{} {}", v.value, v.count))
                .collect();
            writeln!(out, "  {name:<7} {}", list.join(", "))?;
        }
    }
    Ok(())
}

// Scratch: prints the dates found in a sentence. Removed before the report.
use casebook_events::dates::{find, Anchor};
use casebook_model::FuzzyDate;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let p = FuzzyDate::parse(&args[1]);
    let a = Anchor { published: p, last_mentioned: None };
    for d in find(&args[2], 0, &a) { println!("{:?}", d); }
}

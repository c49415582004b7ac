//! Prints what the recogniser finds in the text given on standard input.
//!
//! Run: `cargo run -p casebook-people --example recognize < article.txt`

use std::io::Read;

fn main() {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("cannot read standard input: {e}");
        std::process::exit(1);
    }
    let people = casebook_people::Recognizer::new().recognize(&text);
    for (i, p) in people.persons.iter().enumerate() {
        println!(
            "person {i}: {} {:?} {:?}",
            p.name, p.descriptors, p.relations
        );
    }
    for m in &people.mentions {
        println!(
            "mention {}..{} {:?} -> {}",
            m.start, m.end, m.text, m.person
        );
    }
    for e in &people.entities {
        println!(
            "{:?} {}..{} {:?} = {}",
            e.kind, e.start, e.end, e.text, e.canonical
        );
    }
}

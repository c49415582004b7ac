//! casebook-people: finds every person, organisation and place named in one article.
//!
//! In: an article's text (`Article::text()`, news of the Crimea persecution field in English, Russian or
//! Ukrainian, with names in Latin or Cyrillic script). Inflected Russian and Ukrainian names are read back
//! to their base form with `casebook_names::nominative`: each person is named in the nominative. Out: [`ArticlePeople`]: one [`ArticlePerson`](casebook_model::ArticlePerson)
//! per real person of the article (bare surnames and possessives linked to the full name, with
//! descriptors and relations), every person mention with character offsets, and the organisations and
//! places named, with canonical names.
//!
//! The recogniser is rule-, lexicon- and pattern-based: one tokenisation pass, hashed lexicon lookups
//! (given names, surname endings, role words, gazetteers, all data files under `data/`), and evidence
//! rules that accept a run of capitalised words as a name only when something speaks for it. It does
//! not resolve people across articles; that is `casebook-names`' work.

mod describe;
mod entities;
mod lexicon;
mod persons;
mod token;

pub use lexicon::{DataFiles, LexiconError};

use casebook_model::ArticlePeople;
use lexicon::Lexicon;
use std::sync::{Arc, LazyLock};

/// The built-in lexicons, parsed once per process.
static BUILT_IN: LazyLock<Arc<Lexicon>> = LazyLock::new(|| {
    // The built-in files are checked by this crate's tests; a parse failure here is a build defect.
    Arc::new(
        Lexicon::parse(&DataFiles::BUILT_IN).expect("built-in lexicon data files are well-formed"),
    )
});

/// Finds people, organisations and places in article text. Cheap to clone: the lexicons are shared.
#[derive(Debug, Clone)]
pub struct Recognizer {
    lex: Arc<Lexicon>,
}

impl Default for Recognizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Recognizer {
    /// A recogniser with the built-in lexicons.
    pub fn new() -> Self {
        Recognizer {
            lex: Arc::clone(&BUILT_IN),
        }
    }

    /// A recogniser with other lexicons (for example, extended given-name lists).
    pub fn with_data(files: &DataFiles) -> Result<Self, LexiconError> {
        Ok(Recognizer {
            lex: Arc::new(Lexicon::parse(files)?),
        })
    }

    /// Finds everyone and everything named in `text`. Offsets are character offsets into `text`.
    pub fn recognize(&self, text: &str) -> ArticlePeople {
        let tokens = token::tokenize(text);
        let bases = token::base_forms(&tokens, text);
        let mut marks = vec![entities::Mark::Free; tokens.len()];
        let found_entities = entities::find(&self.lex, &tokens, &bases, &mut marks);
        let people = persons::find(&self.lex, text, &tokens, &bases, &marks);
        let mut persons = people.persons;
        describe::describe(
            &self.lex,
            text,
            &tokens,
            &marks,
            &people.found,
            &mut persons,
        );
        ArticlePeople {
            persons,
            mentions: persons::to_mentions(text, &tokens, &people.found),
            entities: entities::to_mentions(text, &tokens, &found_entities),
        }
    }
}

#[cfg(test)]
mod tests;

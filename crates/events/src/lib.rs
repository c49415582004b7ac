//! casebook-events: finds persecution events in one article — what was done to whom, when, where and by
//! whom, with the sentence that says so — names the cases people are prosecuted in, reconciles events
//! reported by several articles ([`merge`]) and derives a person's status and timeline ([`status`]).
//!
//! In: an [`Article`] and the [`ArticlePeople`] the people stage found in it. Out: [`ArticleEvents`],
//! whose victims are indices into `ArticlePeople::persons` and whose offsets are character offsets into
//! [`Article::text`]. No I/O: the taxonomy, trigger words, cues and patterns are data files under `data/`
//! compiled into the crate.
//!
//! # Dates
//! An event's date comes from its own sentence: absolute dates, or relative ones resolved against the
//! article's publication date ("on Wednesday", "yesterday", "last December") or against the last date
//! the text gave ("two days later"). Events told together share a date ("searched and detained on
//! Monday", "detained during the searches on 14 February"), and a definite mention of an event told
//! before ("the transfer took place last Friday") dates that event. A sentence with no date of its own
//! continues the story: its events take the last date given in the same or the previous paragraph,
//! except charges, ill-treatment and coercion, which are told as background. A date inside a charge's
//! object ("accused of sabotage in August") dates the alleged act, not the charge, and no event is dated
//! after the report itself.
//!
//! # Modules
//! `doc` prepares the article (tokens, sentences, mentions with their roles); `triggers` finds
//! asserted triggers; `victims` attaches named victims and counted groups; `dating` picks each
//! trigger's date; `attributes` reads places, perpetrators and details; `assembly` builds and merges
//! the events; `cases` names the cases; `language` holds what each language reads, `stems` the word
//! stems its triggers are matched on.
//!
//! # Languages
//! The article's language (`Article::language`, from the article stage) chooses the words read: English
//! from `taxonomy.toml`, `cues.toml`, `lexicon.toml` and `details.toml`; Russian and Ukrainian from
//! `lexicon.ru.toml` and `lexicon.uk.toml`, whose triggers are matched on word stems so that every
//! inflected form of a verb or noun reports its event. Any other language is read as English.

mod assembly;
mod attributes;
mod cases;
pub mod data;
pub mod dates;
mod dating;
pub mod details;
mod doc;
mod language;
pub mod merge;
mod per_victim;
pub mod perpetrator;
pub mod status;
mod stems;
mod text;
mod triggers;
mod victims;

use casebook_model::{Article, ArticleEvents, ArticlePeople};
use data::LANGUAGES;
use language::Language;

/// How many tokens may stand between a trigger and a trigger it governs ("upheld the verdict").
const OBJECT_WINDOW: usize = 3;

/// Lower-case phrases split into words, for matching against tokens.
type Phrases = Vec<Vec<String>>;

fn phrases(list: &[String]) -> Phrases {
    list.iter().map(|p| text_words(p)).collect()
}

fn text_words(p: &str) -> Vec<String> {
    let chars: Vec<char> = p.chars().collect();
    text::tokenize(&chars)
        .into_iter()
        .map(|t| t.lower)
        .collect()
}

/// Finds events and cases in articles. Build once with [`Extractor::new`] and reuse: the automata and
/// patterns of every language are built from the data files at construction.
pub struct Extractor {
    english: Language,
    /// The other languages read, by ISO 639-1 code.
    others: Vec<(String, Language)>,
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new()
    }
}

impl Extractor {
    /// Builds the extractor from the crate's data files.
    pub fn new() -> Self {
        Extractor {
            english: Language::english(),
            others: LANGUAGES
                .iter()
                .map(|file| (file.language.clone(), Language::from_file(file)))
                .collect(),
        }
    }

    /// The languages read (ISO 639-1 codes); an article in any other language, or in none the article
    /// stage could tell, is read as English.
    pub fn languages(&self) -> Vec<&str> {
        std::iter::once("en")
            .chain(self.others.iter().map(|(code, _)| code.as_str()))
            .collect()
    }

    /// Finds the events and cases `article` reports, given the people the people stage found in it. The
    /// article's language (`Article::language`) chooses the words read.
    pub fn extract(&self, article: &Article, people: &ArticlePeople) -> ArticleEvents {
        let language = article
            .language
            .as_deref()
            .and_then(|code| self.others.iter().find(|(c, _)| c == code))
            .map_or(&self.english, |(_, l)| l);
        language.extract(article, people)
    }
}

fn push_unique(out: &mut Vec<String>, value: String) {
    if !out.iter().any(|v| v.eq_ignore_ascii_case(&value)) {
        out.push(value);
    }
}

fn contains_seq(window: &[&str], phrase: &[String]) -> bool {
    !phrase.is_empty()
        && window.len() >= phrase.len()
        && window
            .windows(phrase.len())
            .any(|w| w.iter().zip(phrase).all(|(a, b)| *a == b.as_str()))
}

fn starts_with_seq(words: &[&str], phrase: &[String]) -> bool {
    !phrase.is_empty()
        && words.len() >= phrase.len()
        && words.iter().zip(phrase).all(|(a, b)| *a == b.as_str())
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_languages;
#[cfg(test)]
mod tests_per_victim;
#[cfg(test)]
mod tests_story;

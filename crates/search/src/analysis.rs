//! How text becomes index terms: a plain word analyser for full text, and a name-key analyser that
//! turns every word of a name into its cross-script matching key (`casebook_names::key`), so
//! `Джелял`, `Dzhelyal` and `Celâl` all become the same term.

use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// Tokenizer name of the full-text fields: words, lower-cased, nothing else (no folding, no
/// stemming), which is what the exact mode promises.
pub(crate) const TEXT_TOKENIZER: &str = "casebook_text";
/// Tokenizer name of the name-key field.
pub(crate) const NAME_KEY_TOKENIZER: &str = "casebook_name_key";

/// Words longer than this are junk (URLs, base64) and are not indexed.
const MAX_TOKEN_BYTES: usize = 64;

/// Apostrophes kept inside a name word (`Il'mi`, `Мар'яна`): the key drops them instead of splitting.
const NAME_APOSTROPHES: [char; 4] = ['\'', '’', 'ʼ', '`'];

/// The full-text analyser.
pub(crate) fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .build()
}

/// The name-key analyser. With `capitalized_only`, words that do not start with a capital letter
/// yield an empty term that matches nothing: used to highlight names in running text without
/// computing a key for every common word.
pub(crate) fn name_key_analyzer(capitalized_only: bool) -> TextAnalyzer {
    TextAnalyzer::builder(NameWordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(NameKeyFilter { capitalized_only })
        .build()
}

/// The matching key of one word: lower-cased, transliterated by `casebook_names::key`, with any
/// inner separator the key leaves removed so one word stays one term.
pub(crate) fn word_key(word: &str) -> String {
    let key = casebook_names::key(&word.to_lowercase());
    key.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The keys of every word of `text`, in order, as the name-key field indexes them.
pub(crate) fn name_keys_of(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let term = &stream.token().text;
        if !term.is_empty() && !keys.contains(term) {
            keys.push(term.clone());
        }
    }
    keys
}

/// Replaces each token's text by its name key.
#[derive(Clone)]
struct NameKeyFilter {
    capitalized_only: bool,
}

impl TokenFilter for NameKeyFilter {
    type Tokenizer<T: Tokenizer> = NameKeyTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> NameKeyTokenizer<T> {
        NameKeyTokenizer {
            inner: tokenizer,
            capitalized_only: self.capitalized_only,
        }
    }
}

#[derive(Clone)]
struct NameKeyTokenizer<T> {
    inner: T,
    capitalized_only: bool,
}

impl<T: Tokenizer> Tokenizer for NameKeyTokenizer<T> {
    type TokenStream<'a> = NameKeyStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        NameKeyStream {
            tail: self.inner.token_stream(text),
            capitalized_only: self.capitalized_only,
        }
    }
}

struct NameKeyStream<S> {
    tail: S,
    capitalized_only: bool,
}

impl<S: TokenStream> TokenStream for NameKeyStream<S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let token = self.tail.token_mut();
            let capitalized = token.text.chars().next().is_some_and(char::is_uppercase);
            if self.capitalized_only && !capitalized {
                token.text.clear();
                return true;
            }
            let key = word_key(&token.text);
            if key.is_empty() {
                // A word made only of what the key drops (marks, apostrophes) names nothing.
                continue;
            }
            token.text = key;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Letters, digits, and the combining marks that follow a base letter in decomposed text (a
/// decomposed `â` stays inside the word); the blocks of combining diacritics are listed because the
/// standard library has no test for the mark category.
fn is_name_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Splits text into name words: runs of [`is_name_word_char`], joined across one inner apostrophe.
///
/// Written here rather than taken from tantivy's `RegexTokenizer`: tantivy clones the analyser for
/// its indexing, each clone of a regex starts with an empty lazy DFA, and the Unicode classes of a
/// name word made every indexed document build that DFA again; that took most of the indexing
/// threads' time in a 100,000-article ingest.
#[derive(Clone, Default)]
struct NameWordTokenizer {
    token: Token,
}

impl Tokenizer for NameWordTokenizer {
    type TokenStream<'a> = NameWordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NameWordStream<'a> {
        self.token.reset();
        NameWordStream {
            text,
            at: 0,
            token: &mut self.token,
        }
    }
}

struct NameWordStream<'a> {
    text: &'a str,
    /// Byte offset where the search for the next word starts.
    at: usize,
    token: &'a mut Token,
}

impl TokenStream for NameWordStream<'_> {
    fn advance(&mut self) -> bool {
        let rest = &self.text[self.at..];
        let Some((skip, _)) = rest.char_indices().find(|&(_, c)| is_name_word_char(c)) else {
            self.at = self.text.len();
            return false;
        };
        let start = self.at + skip;
        let mut end = start;
        let mut chars = self.text[start..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if is_name_word_char(c) {
                end = start + i + c.len_utf8();
            } else if NAME_APOSTROPHES.contains(&c)
                && chars
                    .peek()
                    .is_some_and(|&(_, next)| is_name_word_char(next))
            {
                continue;
            } else {
                break;
            }
        }
        self.at = end;
        self.token.text.clear();
        self.token.text.push_str(&self.text[start..end]);
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod name_word_tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, usize, usize)> {
        let mut tokenizer = NameWordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn name_words_keep_inner_apostrophes_and_marks_and_nothing_else() {
        let found: Vec<String> = words("Il'mi Umerov, Мар’яна — 'Celal' Dzhelyal\u{0302}s 2024 o'")
            .into_iter()
            .map(|(w, _, _)| w)
            .collect();
        assert_eq!(
            found,
            [
                "Il'mi",
                "Umerov",
                "Мар’яна",
                "Celal",
                "Dzhelyal\u{0302}s",
                "2024",
                "o"
            ]
        );
    }

    #[test]
    fn offsets_are_byte_offsets_into_the_text() {
        let text = "— Джелял, Celâl";
        for (word, from, to) in words(text) {
            assert_eq!(&text[from..to], word);
        }
        assert!(words("  ,, — ").is_empty());
    }
}

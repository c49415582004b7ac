//! How text becomes index terms: a plain word analyser for full text, and a name-key analyser that
//! turns every word of a name into its cross-script matching key (`casebook_names::key`), so
//! `Джелял`, `Dzhelyal` and `Celâl` all become the same term.

use tantivy::tokenizer::{
    LowerCaser, RegexTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// Tokenizer name of the full-text fields: words, lower-cased, nothing else (no folding, no
/// stemming), which is what the exact mode promises.
pub(crate) const TEXT_TOKENIZER: &str = "casebook_text";
/// Tokenizer name of the name-key field.
pub(crate) const NAME_KEY_TOKENIZER: &str = "casebook_name_key";

/// Words longer than this are junk (URLs, base64) and are not indexed.
const MAX_TOKEN_BYTES: usize = 64;

/// A name word: letters, digits and combining marks (a decomposed `â` stays inside the word), with
/// inner apostrophes kept (`Il'mi`, `Мар'яна`) because the key drops them instead of splitting.
const NAME_WORD_PATTERN: &str = r"[\p{L}\p{N}\p{M}]+(?:['’ʼ`][\p{L}\p{N}\p{M}]+)*";

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
pub(crate) fn name_key_analyzer(capitalized_only: bool) -> tantivy::Result<TextAnalyzer> {
    Ok(
        TextAnalyzer::builder(RegexTokenizer::new(NAME_WORD_PATTERN)?)
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(NameKeyFilter { capitalized_only })
            .build(),
    )
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

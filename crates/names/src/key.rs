//! The matching key: one spelling for the many ways a name is written in Latin and Cyrillic.
//!
//! Steps (tables in `data/`): lower-case; Crimean Tatar and Turkish letters (`latin_letters.tsv`);
//! Cyrillic digraphs and letters (`cyrillic.tsv`); ASCII-fold what is left with `any_ascii`; split at
//! anything that is not a letter or digit; the ordered token rewrites (`token_rewrites.tsv`).
//! The key is lossy on purpose (ж and дж merge, g and h merge): use it to match, never to display.

use crate::tables::{tables, Tables};

/// The matching key of a name: lower-case ASCII tokens separated by single spaces.
///
/// ```
/// assert_eq!(casebook_names::key("Nariman Celâl"), "nariman jelal");
/// assert_eq!(casebook_names::key("Нариман Джелял"), "nariman jelal");
/// ```
pub fn key(name: &str) -> String {
    key_with(tables(), name)
}

/// One token of a keyed name, with what the scorer needs to know about the word it came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct KeyToken {
    pub key: String,
    /// The word was an initial: one letter, or up to three letters followed by a full stop (`Yu.`).
    pub initial: bool,
    /// First letter of the word, ASCII-folded without the rewrites (`y` for `Yu.`, whose key is `u`).
    pub folded_first: Option<u8>,
}

pub(crate) fn key_with(t: &Tables, name: &str) -> String {
    let tokens: Vec<String> = key_tokens(t, name).into_iter().map(|k| k.key).collect();
    tokens.join(" ")
}

/// Splits a name into words and keys each word.
pub(crate) fn key_tokens(t: &Tables, name: &str) -> Vec<KeyToken> {
    let chars: Vec<char> = name.chars().collect();
    let mut tokens = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let rest = chars.get(start..).unwrap_or_default();
        let len = rest
            .iter()
            .position(|&c| !is_word_char(c))
            .unwrap_or(rest.len());
        if len == 0 {
            start += 1;
            continue;
        }
        let word = chars.get(start..start + len).unwrap_or_default();
        let followed_by_stop = chars.get(start + len) == Some(&'.');
        let letters = word.iter().filter(|c| c.is_alphabetic()).count();
        let initial = letters == 1 || (followed_by_stop && (1..=3).contains(&letters));
        let folded_first = word
            .first()
            .and_then(|&c| any_ascii::any_ascii_char(c).bytes().next())
            .map(|b| b.to_ascii_lowercase());
        for key in key_word(t, word) {
            tokens.push(KeyToken {
                key,
                initial,
                folded_first,
            });
        }
        start += len;
    }
    tokens
}

/// Letters, digits, combining marks and the apostrophes the tables drop: they never split a word.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(
            c,
            '\'' | '’' | 'ʼ' | 'ʹ' | 'ʺ' | '`' | '‘' | '\u{300}'..='\u{36f}'
        )
}

fn key_word(t: &Tables, word: &[char]) -> Vec<String> {
    let lower: Vec<char> = word.iter().flat_map(|c| c.to_lowercase()).collect();
    let mut latin = String::with_capacity(lower.len() + 4);
    t.latin.apply(&lower, &mut latin);
    let latin: Vec<char> = latin.chars().collect();
    let mut mapped = String::with_capacity(latin.len() + 4);
    t.cyrillic.apply(&latin, &mut mapped);
    let folded = any_ascii::any_ascii(&mapped).to_ascii_lowercase();
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .map(|token| {
            let mut bytes = token.as_bytes().to_vec();
            for rule in &t.rewrites {
                bytes = rule.apply(&bytes);
            }
            // Rewrites only ever produce ASCII letters and digits from ASCII input.
            String::from_utf8_lossy(&bytes).into_owned()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn one_person_one_key_across_scripts() {
        for name in [
            "Nariman Dzhelyal",
            "Nariman Dzhelal",
            "Nariman Celâl",
            "Нариман Джелял",
            "Наріман Джелял",
            "Nariman Dzhelial",
        ] {
            assert_eq!(key(name), "nariman jelal", "{name}");
        }
        for name in [
            "Мустафа Джемілєв",
            "Mustafa Jemilev",
            "Mustafa Cemilev",
            "Mustafa Dzhemilev",
            "Mustafa Dżemilew",
        ] {
            assert_eq!(key(name), "mustafa jemilev", "{name}");
        }
        assert_eq!(key("Refat Çubarov"), "refat chubarov");
        assert_eq!(key("Рефат Чубаров"), "refat chubarov");
    }

    #[test]
    fn iotation_and_soft_signs() {
        assert_eq!(key("Muslim Aliyev"), key("Muslim Aliev"));
        assert_eq!(key("Teimur Abdullaiev"), key("Теймур Абдуллаев"));
        assert_eq!(key("Server Zekiriaiev"), key("Server Zekiryaev"));
        assert_eq!(key("Il'mi Umerov"), key("Ильми Умеров"));
        assert_eq!(key("Yesypenko"), key("Esipenko"));
        assert_eq!(key("Serhiy"), key("Serhii"));
        assert_eq!(key("Akhtem Chiygoz"), key("Ахтем Чийгоз"));
        assert_eq!(key("Akhtem Chiygoz"), key("Ahtem Chiyhoz"));
    }

    #[test]
    fn feminine_forms_keep_their_ending() {
        assert_eq!(key("Mustafayev"), "mustafaev");
        assert_eq!(key("Mustafayeva"), "mustafaeva");
        assert_eq!(key("Poklonskaya"), key("Poklonska"));
        assert_ne!(key("Poklonskaya"), key("Poklonsky"));
    }

    #[test]
    fn odd_input_gives_a_key_and_never_panics() {
        assert_eq!(key(""), "");
        assert_eq!(key("  -- . "), "");
        assert_eq!(key("İsmail"), "ismail");
        assert_eq!(key("Emir-Usein Kuku"), "emir usein kuku");
        assert_eq!(key("N.\u{0}Dzhelyal"), "n jelal");
        let _ = key("\u{301}\u{301}ـ漢字 😀");
    }
}

//! The matching key: one spelling for the many ways a name is written in Latin and Cyrillic.
//!
//! Steps (tables in `data/`): lower-case; Crimean Tatar and Turkish letters (`latin_letters.tsv`);
//! Cyrillic digraphs and letters (`cyrillic.tsv`); ASCII-fold what is left with `any_ascii`; split at
//! anything that is not a letter or digit; the ordered token rewrites (`token_rewrites.tsv`).
//! The key is lossy on purpose (ж and дж merge, g and h merge): use it to match, never to display.

use crate::tables::{tables, Tables};
use std::cell::RefCell;

/// The matching key of a name: lower-case ASCII tokens separated by single spaces. An inflected name
/// is keyed in its base form (see [`crate::nominative`]), so "Наримана Джеляла" keys as "Нариман Джелял".
///
/// ```
/// assert_eq!(casebook_names::key("Nariman Celâl"), "nariman jelal");
/// assert_eq!(casebook_names::key("Нариман Джелял"), "nariman jelal");
/// ```
pub fn key(name: &str) -> String {
    let t = tables();
    key_with(t, &crate::inflect::nominative_with(t, name))
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
    let mut out = String::with_capacity(name.len());
    for_each_token(t, name, |token, _, _| {
        if !out.is_empty() {
            out.push(' ');
        }
        // Tokens are ASCII letters and digits (see `key_word`).
        out.extend(token.iter().map(|&b| char::from(b)));
    });
    out
}

/// Splits a name into words and keys each word.
pub(crate) fn key_tokens(t: &Tables, name: &str) -> Vec<KeyToken> {
    let mut tokens = Vec::new();
    for_each_token(t, name, |key, initial, folded_first| {
        tokens.push(KeyToken {
            key: key.iter().map(|&b| char::from(b)).collect(),
            initial,
            folded_first,
        })
    });
    tokens
}

/// Working buffers of the key, kept per thread: keying runs for every name of every article, and
/// allocating four buffers per name cost more than the keying itself.
#[derive(Default)]
struct Scratch {
    lower: Vec<char>,
    folded: Vec<u8>,
    token: Vec<u8>,
    spare: Vec<u8>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Calls `emit(key, initial, folded_first)` for each token of `name`, in order (see [`KeyToken`]).
fn for_each_token(t: &Tables, name: &str, mut emit: impl FnMut(&[u8], bool, Option<u8>)) {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => tokens_into(t, name, &mut scratch, &mut emit),
        // Only reachable if `emit` keyed another name: fresh buffers keep that correct.
        Err(_) => tokens_into(t, name, &mut Scratch::default(), &mut emit),
    })
}

fn tokens_into(
    t: &Tables,
    name: &str,
    scratch: &mut Scratch,
    emit: &mut impl FnMut(&[u8], bool, Option<u8>),
) {
    let mut rest = name;
    while let Some(first) = rest.chars().next() {
        if !is_word_char(first) {
            rest = rest.get(first.len_utf8()..).unwrap_or_default();
            continue;
        }
        let len = rest
            .char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(rest.len(), |(i, _)| i);
        let (word, after) = rest.split_at(len);
        rest = after;
        let followed_by_stop = after.starts_with('.');
        let letters = word.chars().filter(|&c| is_letter(c)).count();
        let initial = letters == 1 || (followed_by_stop && (1..=3).contains(&letters));
        let folded_first = if first.is_ascii() {
            Some(first as u8)
        } else {
            any_ascii::any_ascii_char(first).bytes().next()
        }
        .map(|b| b.to_ascii_lowercase());
        key_word(t, word, scratch, &mut |key| {
            emit(key, initial, folded_first)
        });
    }
}

/// Whether `c` is a letter; the basic Cyrillic block (U+0400–U+0481, all letters) is answered without
/// the Unicode table search, which took a quarter of the time of keying Cyrillic names.
pub(crate) fn is_letter(c: char) -> bool {
    ('\u{400}'..='\u{481}').contains(&c) || c.is_alphabetic()
}

/// Letters, digits, combining marks and the apostrophes the tables drop: they never split a word.
fn is_word_char(c: char) -> bool {
    ('\u{400}'..='\u{481}').contains(&c)
        || c.is_alphanumeric()
        || matches!(
            c,
            '\'' | '’' | 'ʼ' | 'ʹ' | 'ʺ' | '`' | '‘' | '\u{300}'..='\u{36f}'
        )
}

/// Keys one word: lower-case, the Latin and Cyrillic tables, ASCII-folding, the rewrites; a word may
/// give several tokens (a folded character can turn into a space).
fn key_word(t: &Tables, word: &str, scratch: &mut Scratch, emit: &mut impl FnMut(&[u8])) {
    let Scratch {
        lower,
        folded,
        token,
        spare,
    } = scratch;
    folded.clear();
    // The tables are written in lower case: test the lower-cased byte.
    let inert = |b: u8| {
        t.ascii_inert
            .get(usize::from(b.to_ascii_lowercase()))
            .copied()
            .unwrap_or(false)
    };
    if word.bytes().all(inert) {
        // Fast path for the common all-ASCII word that no table entry can touch.
        folded.extend(word.bytes().map(|b| b.to_ascii_lowercase()));
    } else {
        transliterate_word(t, word, lower, folded);
    }
    for piece in folded
        .split(|b| !b.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        token.clear();
        token.extend_from_slice(piece);
        for rule in &t.rewrites {
            if rule.apply_into(token, spare) {
                std::mem::swap(token, spare);
            }
        }
        if !token.is_empty() {
            emit(token);
        }
    }
}

/// Lower-cases `word`, applies the Latin and Cyrillic tables and ASCII-folds the rest into `folded`.
fn transliterate_word(t: &Tables, word: &str, lower: &mut Vec<char>, folded: &mut Vec<u8>) {
    lower.clear();
    for c in word.chars() {
        if c.is_ascii() {
            lower.push(c.to_ascii_lowercase());
        } else {
            lower.extend(c.to_lowercase());
        }
    }
    // One pass for both tables: their sources start with different characters (Latin letters and
    // apostrophes, Cyrillic letters) and their targets are ASCII, so applying the Latin table and then
    // the Cyrillic one gives the same text (tested below).
    let mut i = 0;
    while let Some(input) = lower.get(i..).filter(|r| !r.is_empty()) {
        let matched = t
            .latin
            .match_at(input)
            .or_else(|| t.cyrillic.match_at(input));
        match matched {
            Some((target, len)) => {
                target.chars().for_each(|c| fold_char(c, folded));
                i += len;
            }
            None => {
                input
                    .first()
                    .into_iter()
                    .for_each(|&c| fold_char(c, folded));
                i += 1;
            }
        }
    }
}

/// Appends the lower-case ASCII spelling of `c` (`any_ascii` for what is not ASCII).
fn fold_char(c: char, out: &mut Vec<u8>) {
    if c.is_ascii() {
        out.push((c as u8).to_ascii_lowercase());
    } else {
        out.extend(
            any_ascii::any_ascii_char(c)
                .bytes()
                .map(|b| b.to_ascii_lowercase()),
        );
    }
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
    fn dzh_and_zh_between_vowels_keep_their_j() {
        // дж / ж between vowels is a consonant, not iotation: Kadzhaev is not Kaev.
        for name in ["Kadzhaev", "Каджаев", "Kacaev", "Kadjaev", "Kajaev"] {
            assert_eq!(key(name), "kajaev", "{name}");
        }
        assert_ne!(key("Kadzhaev"), key("Kaev"));
        assert_eq!(key("Кожанов"), "kojanov");
        assert_eq!(key("Kozhanov"), "kojanov");
        assert_eq!(key("Аджиев"), key("Adzhiev"));
        assert!(key("Adzhiev").contains('j'), "{}", key("Adzhiev"));
        // Iotation between vowels still goes: Abdullaiev = Abdullayev = Abdullaev.
        assert_eq!(key("Abdullaiev"), key("Abdullaev"));
        assert_eq!(key("Abdullayev"), key("Abdullaev"));
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
        assert_eq!(key("Qurultay"), key("Kurultay"));
        for c in '\u{400}'..='\u{481}' {
            assert!(c.is_alphabetic(), "{c:?} is not a letter");
        }
        assert_eq!(key("Emir-Usein Kuku"), "emir usein kuku");
        assert_eq!(key("N.\u{0}Dzhelyal"), "n jelal");
        let _ = key("\u{301}\u{301}ـ漢字 😀");
    }

    #[test]
    fn one_pass_equals_the_two_tables_in_turn() {
        let t = crate::tables::tables();
        for text in [
            "джеляль",
            "çubarov",
            "džemilev",
            "il'mi",
            "qırımoğlu",
            "дж'ж",
            "smedlâyev",
            "къуртнъ",
        ] {
            let chars: Vec<char> = text.chars().collect();
            let mut latin = String::new();
            t.latin.apply(&chars, &mut latin);
            let mut both = String::new();
            t.cyrillic
                .apply(&latin.chars().collect::<Vec<_>>(), &mut both);
            let two_passes = crate::key::key(&both);
            assert_eq!(key(text), two_passes, "{text}");
        }
        for c in t.cyrillic.first_chars() {
            assert!(
                !t.latin.starts_with_char(c),
                "{c} starts entries of both tables"
            );
        }
    }
}

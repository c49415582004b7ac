//! Word stems for matching triggers in inflected languages: Snowball's Russian stemmer (rust-stemmers),
//! or a language's table of inflectional endings where Snowball has no stemmer (Ukrainian).

use crate::data::LanguageFile;

/// Reduces a lower-case word to the stem its inflected forms share.
pub(crate) enum Stemmer {
    Snowball(rust_stemmers::Stemmer),
    /// Cut the longest ending that leaves at least `min_stem` letters.
    Suffixes {
        suffixes: Vec<String>,
        min_stem: usize,
    },
}

impl Stemmer {
    /// The stemmer a language file names.
    pub(crate) fn from_file(file: &LanguageFile) -> Stemmer {
        match file.stemmer.as_str() {
            "snowball-russian" => Stemmer::Snowball(rust_stemmers::Stemmer::create(
                rust_stemmers::Algorithm::Russian,
            )),
            "suffixes" => {
                let mut suffixes = file.suffixes.clone();
                suffixes.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
                Stemmer::Suffixes {
                    suffixes,
                    min_stem: file.min_stem.max(1),
                }
            }
            other => panic!(
                "casebook-events lexicon.{}.toml names an unknown stemmer {other:?}",
                file.language
            ),
        }
    }

    /// The stem of `word` (lower-case). "ё" is read as "е", as most reports write it, and the
    /// typographic apostrophes of Ukrainian ("ув’язнення") as the plain one.
    pub(crate) fn stem(&self, word: &str) -> String {
        let word = word.replace('ё', "е").replace(['’', 'ʼ'], "'");
        match self {
            Stemmer::Snowball(s) => s.stem(&word).into_owned(),
            Stemmer::Suffixes { suffixes, min_stem } => {
                let letters = word.chars().count();
                suffixes
                    .iter()
                    .find(|s| word.ends_with(s.as_str()) && letters >= s.chars().count() + min_stem)
                    .map_or(word.clone(), |s| word[..word.len() - s.len()].to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::LANGUAGES;

    fn stemmer(code: &str) -> Stemmer {
        let file = LANGUAGES.iter().find(|l| l.language == code);
        Stemmer::from_file(file.expect("the language file exists"))
    }

    #[test]
    fn inflected_verb_forms_share_a_stem() {
        let ru = stemmer("ru");
        let stem = ru.stem("задержали");
        for form in [
            "задержан",
            "задержана",
            "задержаны",
            "задержала",
            "задержать",
        ] {
            assert_eq!(ru.stem(form), stem, "{form}");
        }
        assert_eq!(ru.stem("приговорён"), ru.stem("приговорен"));
        assert_eq!(ru.stem("обыски"), ru.stem("обысков"));
        let uk = stemmer("uk");
        let stem = uk.stem("затримали");
        for form in [
            "затримано",
            "затриманий",
            "затримання",
            "затримала",
            "затримав",
            "затриманих",
        ] {
            assert_eq!(uk.stem(form), stem, "{form}");
        }
        assert_eq!(uk.stem("обшуки"), uk.stem("обшуків"));
        assert_eq!(uk.stem("ув’язнення"), uk.stem("ув'язнення"));
        // Short words keep their letters.
        assert_eq!(uk.stem("суд"), "суд");
    }
}

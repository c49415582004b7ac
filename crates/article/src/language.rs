//! Which language an article is written in: whatlang's guess, corrected by cue words and letters
//! (`data/language_cues.txt`) where it confuses languages the register reads — Crimean Tatar
//! (Latin script, which whatlang calls Turkish) and Russian against Ukrainian.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Share of a text's words that must be Crimean Tatar cues (cue words, or words with a letter
/// only Crimean Tatar uses among the Turkic Latin alphabets) for the text to be Crimean Tatar.
const CRH_MIN_SHARE: f64 = 0.08;
/// Fewest cue hits for any cue-based decision: one word proves nothing.
const MIN_CUE_HITS: usize = 2;
/// How many times the other language's score one of Russian and Ukrainian must reach to
/// overrule the detector.
const CYRILLIC_MARGIN: usize = 2;

/// ISO 639-3 → ISO 639-1, from `data/languages.tsv`.
static LANGUAGE_CODES: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!("../data/languages.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(three, two)| (three.trim(), two.trim()))
        .collect()
});

/// The cue words and letters of one language.
#[derive(Default)]
struct Cues {
    words: HashSet<&'static str>,
    letters: Vec<char>,
}

struct AllCues {
    crh: Cues,
    not_crh_letters: Vec<char>,
    turkic_letters: Vec<char>,
    ukr: Cues,
    rus: Cues,
}

static CUES: LazyLock<AllCues> = LazyLock::new(|| {
    let mut sections: HashMap<&str, Cues> = HashMap::new();
    let mut current: Option<(&str, &str)> = None;
    for line in include_str!("../data/language_cues.txt").lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = header.split_once(' ');
            continue;
        }
        let Some((language, kind)) = current else {
            continue;
        };
        let cues = sections.entry(language).or_default();
        match kind {
            "letters" => cues.letters.extend(line.chars()),
            _ => {
                cues.words.insert(line);
            }
        }
    }
    AllCues {
        crh: sections.remove("crh").unwrap_or_default(),
        not_crh_letters: sections
            .remove("not-crh")
            .map(|c| c.letters)
            .unwrap_or_default(),
        turkic_letters: sections
            .remove("turkic")
            .map(|c| c.letters)
            .unwrap_or_default(),
        ukr: sections.remove("ukr").unwrap_or_default(),
        rus: sections.remove("rus").unwrap_or_default(),
    }
});

/// The language code of `text` when it can be told: ISO 639-1 where the language has one,
/// `crh` for Crimean Tatar.
pub fn detect_language(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if is_crimean_tatar(&words) {
        return Some("crh".to_string());
    }
    let detected = whatlang::detect(text);
    let cyrillic = detected
        .as_ref()
        .is_some_and(|info| info.script() == whatlang::Script::Cyrillic);
    let guess = detected
        .filter(|info| info.is_reliable())
        .and_then(|info| LANGUAGE_CODES.get(info.lang().code()).copied());
    if cyrillic || matches!(guess, Some("ru" | "uk")) {
        if let Some(code) = russian_or_ukrainian(&words) {
            return Some(code.to_string());
        }
    }
    guess.map(str::to_string)
}

/// True when enough of the words are Crimean Tatar cues, some write the Turkic letters (ı, ş,
/// ç ...), and none has a letter Crimean Tatar does not write (Azerbaijani ə, Kazakh ä).
fn is_crimean_tatar(words: &[String]) -> bool {
    let cues = &CUES;
    if words.is_empty() {
        return false;
    }
    let mut hits = 0;
    let mut distinctive = 0;
    let mut turkic = 0;
    for word in words {
        if word.chars().any(|c| cues.turkic_letters.contains(&c)) {
            turkic += 1;
        }
        if word.chars().any(|c| cues.not_crh_letters.contains(&c)) {
            return false;
        }
        let has_letter = word.chars().any(|c| cues.crh.letters.contains(&c));
        if has_letter {
            distinctive += 1;
        }
        if has_letter || cues.crh.words.contains(word.as_str()) {
            hits += 1;
        }
    }
    // Cue words alone are shared with Turkish ("ve", "bu"); a Crimean Tatar text also writes
    // the letters Turkish lacks (q, ñ), and, unlike Uzbek, the Turkic ones (ı, ş).
    hits >= MIN_CUE_HITS
        && distinctive >= 1
        && turkic >= 1
        && hits as f64 / words.len() as f64 >= CRH_MIN_SHARE
}

/// `uk` or `ru` when the cue letters and words of one clearly outweigh the other's.
fn russian_or_ukrainian(words: &[String]) -> Option<&'static str> {
    let cues = &CUES;
    let score = |language: &Cues| {
        words
            .iter()
            .filter(|w| {
                language.words.contains(w.as_str())
                    || w.chars().any(|c| language.letters.contains(&c))
            })
            .count()
    };
    let (ukrainian, russian) = (score(&cues.ukr), score(&cues.rus));
    if ukrainian >= MIN_CUE_HITS && ukrainian >= CYRILLIC_MARGIN * russian.max(1) {
        Some("uk")
    } else if russian >= MIN_CUE_HITS && russian >= CYRILLIC_MARGIN * ukrainian.max(1) {
        Some("ru")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cue_data_loads() {
        assert!(CUES.crh.words.contains("içün"));
        assert!(CUES.crh.letters.contains(&'ñ'));
        assert!(CUES.ukr.letters.contains(&'ї'));
        assert!(CUES.rus.words.contains("что"));
        assert!(CUES.not_crh_letters.contains(&'ə'));
    }

    #[test]
    fn crimean_tatar_is_not_turkish() {
        let crh = "Qırımda Rusiye FSB hadimleri Bağçasaray rayonında qırımtatar faali Server \
            Ametovnıñ evinde tintüv keçirdiler. Soñra onı tevqif etip Aqmescitke alıp kettiler. \
            Avuqatı aqqında malümat berilmedi, dep bildirdi Qırım birdemligi.";
        assert_eq!(detect_language(crh).as_deref(), Some("crh"));
        let turkish = "Rusya Federal Güvenlik Servisi, Kırım'da Bahçesaray'da yaşayan bir Kırım \
            Tatarı aktivistin evinde arama yaptı. Aktivist daha sonra gözaltına alınarak \
            Akmescit'e götürüldü. Avukatının eve girmesine izin verilmedi.";
        assert_eq!(detect_language(turkish).as_deref(), Some("tr"));
    }

    #[test]
    fn azerbaijani_with_q_is_not_crimean_tatar() {
        let words: Vec<String> = "bu qərar qadın ilə birlikdə verildi və məhkəmə qərarı"
            .split_whitespace()
            .map(str::to_string)
            .collect();
        assert!(!is_crimean_tatar(&words));
    }

    #[test]
    fn uzbek_with_q_is_not_crimean_tatar() {
        let words: Vec<String> = "sud qaror qildi va uni qamoqqa olish haqida qaror qabul qilindi"
            .split_whitespace()
            .map(str::to_string)
            .collect();
        assert!(!is_crimean_tatar(&words));
    }

    #[test]
    fn russian_and_ukrainian_are_told_apart_on_short_text() {
        assert_eq!(
            detect_language("Суд у Криму заарештував його після обшуку.").as_deref(),
            Some("uk")
        );
        assert_eq!(
            detect_language("Суд в Крыму арестовал его после обыска.").as_deref(),
            Some("ru")
        );
        assert_eq!(
            detect_language("Їх затримали в Сімферополі, повідомила його дружина Ельвіра.")
                .as_deref(),
            Some("uk")
        );
        assert_eq!(
            detect_language("Их задержали в Симферополе, сообщила его жена Эльвира.").as_deref(),
            Some("ru")
        );
    }
}

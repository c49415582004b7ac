//! Near-duplicate detection: syndicated copies and the same wire story on several sites.
//!
//! Each body becomes the set of its word 4-shingles (lower-cased words); two bodies are
//! near-duplicates when the Jaccard similarity of those sets is at least the threshold (0.8 by
//! default). The sets are summarised by a 128-value MinHash signature, and candidate pairs are found
//! with locality-sensitive hashing (16 bands of 8 values), so an insert looks at a handful of
//! earlier articles rather than all of them; the candidates are then confirmed on the signature.
//!
//! Written here rather than taken from a crate because the whole of it is a few dozen lines and
//! we want its exact behaviour pinned: the hashing is plain splitmix64 with fixed seeds, so a
//! signature is the same on every platform, run and Rust version (std's hasher promises none of
//! that), and the band layout is tuned to the 0.8 threshold.

use casebook_model::Article;
use std::collections::HashMap;

/// Words per shingle.
const SHINGLE_WORDS: usize = 4;
/// MinHash values per signature.
const SIGNATURE_LEN: usize = 128;
/// LSH bands; `SIGNATURE_LEN / BANDS` values per band. With 16 bands of 8 rows a pair with
/// Jaccard 0.8 becomes a candidate with probability ≈ 0.95, one with Jaccard 0.5 ≈ 0.06.
pub const BANDS: usize = 16;
const ROWS: usize = SIGNATURE_LEN / BANDS;

/// The default similarity above which two bodies count as copies of one another.
pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// A MinHash summary of a body's shingle set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature([u64; SIGNATURE_LEN]);

impl Signature {
    /// The signature of `text`, or `None` when it has fewer words than one shingle.
    pub fn of_text(text: &str) -> Option<Signature> {
        let words: Vec<u64> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| hash_word(&w.to_lowercase()))
            .collect();
        if words.len() < SHINGLE_WORDS {
            return None;
        }
        let mut mins = [u64::MAX; SIGNATURE_LEN];
        for window in words.windows(SHINGLE_WORDS) {
            let shingle = window.iter().fold(0x9E37_79B9_7F4A_7C15u64, |acc, &w| {
                splitmix64(acc.rotate_left(17) ^ w)
            });
            for (i, slot) in mins.iter_mut().enumerate() {
                // One cheap independent-looking hash per slot: mix the shingle with the slot's seed.
                let h = splitmix64(shingle ^ SEEDS[i]);
                if h < *slot {
                    *slot = h;
                }
            }
        }
        Some(Signature(mins))
    }

    /// The estimated Jaccard similarity of the two shingle sets: the share of equal slots.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let equal = self
            .0
            .iter()
            .zip(other.0.iter())
            .filter(|(a, b)| a == b)
            .count();
        equal as f64 / SIGNATURE_LEN as f64
    }

    /// The LSH key of every band, in band order: two bodies whose signatures share any band key
    /// are candidates to compare. A store indexes these to find candidates without scanning.
    pub fn band_keys(&self) -> [u64; BANDS] {
        std::array::from_fn(|band| self.band_key(band))
    }

    /// The signature as bytes (little-endian values), for storing it.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads a signature written by [`Self::to_bytes`]; `None` when the bytes are not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != SIGNATURE_LEN * 8 {
            return None;
        }
        let mut values = [0u64; SIGNATURE_LEN];
        for (slot, chunk) in values.iter_mut().zip(bytes.chunks_exact(8)) {
            *slot = u64::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(Signature(values))
    }

    fn band_key(&self, band: usize) -> u64 {
        let start = band * ROWS;
        self.0
            .get(start..start + ROWS)
            .unwrap_or(&[])
            .iter()
            .fold(band as u64, |acc, &v| splitmix64(acc ^ v))
    }
}

/// Per-slot seeds, derived once from a fixed start so signatures are reproducible.
static SEEDS: std::sync::LazyLock<[u64; SIGNATURE_LEN]> = std::sync::LazyLock::new(|| {
    let mut seeds = [0u64; SIGNATURE_LEN];
    let mut state = 0x5EED_CA5E_B00Cu64;
    for seed in seeds.iter_mut() {
        state = splitmix64(state);
        *seed = state;
    }
    seeds
});

/// The splitmix64 finaliser: a fast, well-mixed 64-bit hash step.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a over a word's bytes, then mixed.
fn hash_word(word: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in word.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    splitmix64(h)
}

/// An in-memory index of article bodies that answers "which earlier articles is this one a copy
/// of?" in time that does not grow with the number of articles (apart from true duplicates).
#[derive(Debug, Clone)]
pub struct NearDuplicateIndex {
    threshold: f64,
    ids: Vec<String>,
    signatures: Vec<Signature>,
    /// (band, band key) → positions in `ids`.
    buckets: HashMap<(u8, u64), Vec<u32>>,
}

impl Default for NearDuplicateIndex {
    fn default() -> Self {
        Self::new()
    }
}

impl NearDuplicateIndex {
    /// An empty index with the [`DEFAULT_THRESHOLD`].
    pub fn new() -> Self {
        Self::with_threshold(DEFAULT_THRESHOLD)
    }

    /// An empty index that calls two bodies copies at estimated Jaccard ≥ `threshold` (clamped
    /// to 0..=1). Thresholds well below 0.7 miss pairs: the bands are tuned for about 0.8.
    pub fn with_threshold(threshold: f64) -> Self {
        NearDuplicateIndex {
            threshold: threshold.clamp(0.0, 1.0),
            ids: Vec::new(),
            signatures: Vec::new(),
            buckets: HashMap::new(),
        }
    }

    /// Number of articles indexed.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether nothing has been indexed.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Adds an article's body under `id` and returns the ids of earlier articles it nearly
    /// duplicates, most similar first. A body shorter than one shingle is neither matched nor added.
    pub fn insert(&mut self, id: &str, article: &Article) -> Vec<String> {
        self.insert_text(id, &article.text())
    }

    /// [`Self::insert`] for a bare body text.
    pub fn insert_text(&mut self, id: &str, text: &str) -> Vec<String> {
        let Some(signature) = Signature::of_text(text) else {
            return Vec::new();
        };
        let position = self.ids.len() as u32;
        let mut candidates: Vec<u32> = Vec::new();
        for band in 0..BANDS {
            let bucket = self
                .buckets
                .entry((band as u8, signature.band_key(band)))
                .or_default();
            candidates.extend(bucket.iter().copied());
            bucket.push(position);
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut matches: Vec<(f64, u32)> = candidates
            .into_iter()
            .filter_map(|c| {
                let similarity = self.signatures.get(c as usize)?.similarity(&signature);
                (similarity >= self.threshold).then_some((similarity, c))
            })
            .collect();
        matches.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        self.ids.push(id.to_string());
        self.signatures.push(signature);
        matches
            .into_iter()
            .filter_map(|(_, c)| self.ids.get(c as usize).cloned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "On Tuesday morning officers of the Federal Security Service searched the \
        homes of four Crimean Tatars in the village of Strohonivka near Simferopol. According to \
        the human rights group Crimean Solidarity, the men were taken to the FSB building after the \
        searches, which lasted about three hours. Lawyers were not allowed into the houses. Among \
        those detained is Server Aliev, a 41-year-old builder and father of three children. The \
        searches were carried out in a case of alleged membership of an organisation banned in \
        Russia. Relatives said that religious books were seized from the homes. Dozens of people \
        gathered outside the building to support the detained men.";

    const OTHER: &str =
        "The Kyiv District Court of Simferopol fined activist Lenur Osmanov 15,000 \
        roubles for a post on social media published in 2019. The court found him guilty of \
        displaying prohibited symbols. His lawyer said the decision would be appealed and noted \
        that the post had been written before the law came into force. Osmanov has already been \
        detained twice this year during single-person pickets in the centre of the city.";

    fn article(text: &str) -> Article {
        Article {
            paragraphs: text.split("\n\n").map(str::to_string).collect(),
            ..Article::default()
        }
    }

    #[test]
    fn syndicated_copy_is_found_and_other_story_is_not() {
        let mut index = NearDuplicateIndex::new();
        assert!(index.insert("a", &article(REPORT)).is_empty());
        assert!(index.insert("b", &article(OTHER)).is_empty());
        // A reprint with a different credit line appended and a changed first word.
        let copy = format!(
            "{}\n\nSource: Crimean Solidarity",
            REPORT.replacen("On", "ON", 1)
        );
        assert_eq!(index.insert("c", &article(&copy)), vec!["a".to_string()]);
        assert_eq!(index.len(), 3);
    }

    #[test]
    fn heavily_rewritten_story_is_not_a_duplicate() {
        let mut index = NearDuplicateIndex::new();
        index.insert_text("a", REPORT);
        let half: String = REPORT
            .split_whitespace()
            .take(45)
            .collect::<Vec<_>>()
            .join(" ");
        let rewrite = format!("{half} {OTHER}");
        assert!(index.insert_text("b", &rewrite).is_empty());
    }

    #[test]
    fn similarity_estimates_jaccard() {
        let a = Signature::of_text(REPORT).unwrap();
        let b = Signature::of_text(OTHER).unwrap();
        assert_eq!(a.similarity(&a), 1.0);
        assert!(a.similarity(&b) < 0.1);
    }

    #[test]
    fn signature_bytes_round_trip_and_copies_share_band_keys() {
        let a = Signature::of_text(REPORT).unwrap();
        assert_eq!(Signature::from_bytes(&a.to_bytes()), Some(a.clone()));
        assert_eq!(Signature::from_bytes(&[1, 2, 3]), None);
        let copy = Signature::of_text(&format!("{REPORT} Source: Crimean Solidarity")).unwrap();
        let other = Signature::of_text(OTHER).unwrap();
        let shared = |x: &Signature, y: &Signature| {
            x.band_keys()
                .iter()
                .zip(y.band_keys().iter())
                .filter(|(p, q)| p == q)
                .count()
        };
        assert!(shared(&a, &copy) > 0);
        assert_eq!(shared(&a, &other), 0);
    }

    #[test]
    fn short_or_empty_bodies_are_ignored() {
        let mut index = NearDuplicateIndex::new();
        assert!(index.insert_text("a", "").is_empty());
        assert!(index.insert_text("b", "three short words").is_empty());
        assert!(index.insert_text("c", "three short words").is_empty());
        assert!(index.is_empty());
    }

    #[test]
    fn many_distinct_articles_stay_distinct() {
        let mut index = NearDuplicateIndex::new();
        for i in 0..2000 {
            let text = format!(
                "Report number {i} about hearing {} in court {} of district {} on day {}",
                i * 7,
                i * 13,
                i % 97,
                i % 31
            );
            assert!(
                index.insert_text(&i.to_string(), &text).is_empty(),
                "false match for {i}"
            );
        }
        assert_eq!(index.len(), 2000);
    }
}

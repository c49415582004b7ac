//! Mapping character spans between an extracted article's text and the raw corpus file it came from.
//!
//! The article stage keeps some paragraphs of the raw text (dropping chrome) and joins them with a
//! blank line, so a span of `Article::text()` lies inside one paragraph, and that paragraph usually
//! stands verbatim in the raw text. Paragraphs are located in order, each search starting where the
//! previous found paragraph ended, so a title repeated in the chrome does not confuse the mapping.

use casebook_model::{Article, CharIndex, PARAGRAPH_SEPARATOR};

/// One article paragraph and where it was found in the raw text.
#[derive(Debug, Clone)]
struct Placed {
    /// Character offset of the paragraph in `Article::text()`.
    text_start: usize,
    /// Length in characters.
    len: usize,
    /// Character offset in the raw text, when the paragraph stands there verbatim.
    raw_start: Option<usize>,
    /// Where the paragraph is expected in the raw text: its own place when found, otherwise just
    /// after the previous found paragraph. Used to pick among fallback surface matches.
    raw_hint: usize,
}

/// The paragraph-by-paragraph correspondence between one article and its raw text.
#[derive(Debug, Clone)]
pub struct Alignment {
    paragraphs: Vec<Placed>,
    paragraph_texts: Vec<String>,
    raw: String,
    raw_index: CharIndex,
}

impl Alignment {
    /// Locates every paragraph of `article` in `raw`.
    pub fn new(article: &Article, raw: &str) -> Self {
        let raw_index = CharIndex::new(raw);
        let sep = PARAGRAPH_SEPARATOR.chars().count();
        let mut paragraphs = Vec::with_capacity(article.paragraphs.len());
        let mut text_start = 0usize;
        let mut cursor_byte = 0usize;
        for p in &article.paragraphs {
            let len = p.chars().count();
            let found = if p.is_empty() {
                None
            } else {
                raw.get(cursor_byte..)
                    .and_then(|tail| tail.find(p.as_str()))
                    .map(|b| cursor_byte + b)
            };
            let hint = raw_index.char(cursor_byte);
            let raw_start = found.map(|b| {
                cursor_byte = b + p.len();
                raw_index.char(b)
            });
            paragraphs.push(Placed {
                text_start,
                len,
                raw_start,
                raw_hint: raw_start.unwrap_or(hint),
            });
            text_start += len + sep;
        }
        Alignment {
            paragraphs,
            paragraph_texts: article.paragraphs.clone(),
            raw: raw.to_string(),
            raw_index,
        }
    }

    /// How many paragraphs were found verbatim, out of how many.
    pub fn found(&self) -> (usize, usize) {
        let found = self
            .paragraphs
            .iter()
            .filter(|p| p.raw_start.is_some())
            .count();
        (found, self.paragraphs.len())
    }

    /// Maps a span of `Article::text()` to the raw text. `surface` is the span's text, used when its
    /// paragraph is not in the raw text verbatim: then the occurrence of `surface` nearest to where
    /// the paragraph should be is taken. `None` when the span cannot be placed at all.
    pub fn to_raw(&self, start: usize, end: usize, surface: &str) -> Option<(usize, usize)> {
        if end < start {
            return None;
        }
        let placed = self
            .paragraphs
            .iter()
            .find(|p| start >= p.text_start && start < p.text_start + p.len.max(1))?;
        let offset = start - placed.text_start;
        match placed.raw_start {
            Some(raw_start) if end <= placed.text_start + placed.len => {
                Some((raw_start + offset, raw_start + offset + (end - start)))
            }
            _ => self.nearest_occurrence(surface, placed.raw_hint + offset),
        }
    }

    /// Maps a span of the raw text to `Article::text()`, if it lies inside a paragraph that was found
    /// verbatim; otherwise the occurrence of `surface` in an unfound paragraph, if any.
    pub fn to_text(
        &self,
        raw_start: usize,
        raw_end: usize,
        surface: &str,
    ) -> Option<(usize, usize)> {
        let found = self.paragraphs.iter().find_map(|p| {
            let r = p.raw_start?;
            (raw_start >= r && raw_end <= r + p.len)
                .then(|| (p.text_start + raw_start - r, p.text_start + raw_end - r))
        });
        if found.is_some() || surface.is_empty() {
            return found;
        }
        // The span lies in a paragraph that extraction changed: look for the surface text in the
        // unfound paragraphs expected in the gap of raw text that holds the span.
        let len = surface.chars().count();
        for (i, p) in self.paragraphs.iter().enumerate() {
            if p.raw_start.is_some() {
                continue;
            }
            let gap_end = self.paragraphs[i + 1..]
                .iter()
                .find_map(|q| q.raw_start)
                .unwrap_or(self.raw_index.len());
            if raw_start < p.raw_hint || raw_start >= gap_end {
                continue;
            }
            let para = &self.paragraph_texts[i];
            let para_index = CharIndex::new(para);
            let want = raw_start - p.raw_hint;
            if let Some(c) = para
                .match_indices(surface)
                .map(|(b, _)| para_index.char(b))
                .min_by_key(|&c| c.abs_diff(want))
            {
                return Some((p.text_start + c, p.text_start + c + len));
            }
        }
        None
    }

    /// The occurrence of `surface` in the raw text whose start is nearest to character `near`.
    fn nearest_occurrence(&self, surface: &str, near: usize) -> Option<(usize, usize)> {
        if surface.is_empty() {
            return None;
        }
        let len = surface.chars().count();
        self.raw
            .match_indices(surface)
            .map(|(b, _)| self.raw_index.char(b))
            .min_by_key(|&c| c.abs_diff(near))
            .map(|c| (c, c + len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(paragraphs: &[&str]) -> Article {
        Article {
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            ..Article::default()
        }
    }

    #[test]
    fn maps_spans_of_verbatim_paragraphs_both_ways() {
        let raw = "Title\n\nTitle\n\nЛидер Celâl spoke.\n\nShare this:\n";
        let a = article(&["Title", "Лидер Celâl spoke."]);
        let al = Alignment::new(&a, raw);
        assert_eq!(al.found(), (2, 2));
        // "Celâl" is at 6..11 of the second paragraph, which starts at 7 in the text.
        let text = a.text();
        let idx = CharIndex::new(&text);
        assert_eq!(idx.slice(&text, 13, 18), "Celâl");
        let (rs, re) = al.to_raw(13, 18, "Celâl").unwrap();
        let ridx = CharIndex::new(raw);
        assert_eq!(ridx.slice(raw, rs, re), "Celâl");
        assert_eq!(rs, 20);
        assert_eq!(al.to_text(rs, re, "Celâl"), Some((13, 18)));
        // The first "Title" is taken; the repeated one and the chrome have no place in the text.
        assert_eq!(al.to_text(0, 5, "Title"), Some((0, 5)));
        assert_eq!(al.to_text(7, 12, "Title"), None);
        assert_eq!(al.to_text(39, 44, "Share"), None);
    }

    #[test]
    fn falls_back_to_the_nearest_surface_occurrence() {
        let raw = "Kuku was tried.\n\nThe court heard  Kuku speak.\n\nKuku again.\n";
        // Extraction collapsed the double space, so the second paragraph is not verbatim.
        let a = article(&[
            "Kuku was tried.",
            "The court heard Kuku speak.",
            "Kuku again.",
        ]);
        let al = Alignment::new(&a, raw);
        assert_eq!(al.found(), (2, 3));
        let start = "Kuku was tried.\n\nThe court heard ".chars().count();
        let (rs, re) = al.to_raw(start, start + 4, "Kuku").unwrap();
        assert_eq!(rs, "Kuku was tried.\n\nThe court heard  ".chars().count());
        assert_eq!(re - rs, 4);
        assert_eq!(al.to_raw(500, 504, "Kuku"), None);
        // And back: the raw span lands on the same word of the changed paragraph.
        assert_eq!(al.to_text(rs, re, "Kuku"), Some((start, start + 4)));
    }
}

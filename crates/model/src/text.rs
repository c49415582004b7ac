//! Conversions between the character offsets the model speaks and the byte offsets Rust slices by.

/// Maps character offsets of one text to byte offsets and back, in O(log n) per lookup.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// Byte offset of every character, plus the text's length at the end.
    byte_of_char: Vec<usize>,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let mut byte_of_char: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        byte_of_char.push(text.len());
        CharIndex { byte_of_char }
    }

    /// Number of characters in the text.
    pub fn len(&self) -> usize {
        self.byte_of_char.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Byte offset of character offset `c`; past the end clamps to the text's length.
    pub fn byte(&self, c: usize) -> usize {
        self.byte_of_char[c.min(self.len())]
    }

    /// Character offset of byte offset `b`; a byte inside a character maps to that character.
    pub fn char(&self, b: usize) -> usize {
        match self.byte_of_char.binary_search(&b) {
            Ok(c) => c,
            Err(c) => c.saturating_sub(1),
        }
    }

    /// The slice of `text` between two character offsets.
    pub fn slice<'t>(&self, text: &'t str, start: usize, end: usize) -> &'t str {
        &text[self.byte(start)..self.byte(end.max(start))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_mixed_scripts() {
        let text = "Нариман Dzhelyal — Celâl";
        let idx = CharIndex::new(text);
        assert_eq!(idx.len(), text.chars().count());
        assert_eq!(idx.slice(text, 0, 7), "Нариман");
        assert_eq!(idx.slice(text, 8, 16), "Dzhelyal");
        let b = idx.byte(19);
        assert_eq!(idx.char(b), 19);
        assert_eq!(&text[b..], "Celâl");
    }
}

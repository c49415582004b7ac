//! Bounds on the shape of a parsed page, so that a hostile page cannot exhaust the stack or the
//! clock of the extractor.
//!
//! Why: main-content scoring looks at every element's ancestors and descendants, so its cost grows
//! with element count × depth, and a page of tens of thousands of nested `<div>`s made extraction
//! quadratic (a minute at depth 10,000) and, deeper still, overflowed the stack in recursive code
//! of the libraries underneath. Real news pages are a few thousand elements at most a few dozen
//! deep.
//!
//! Limits checked before any scoring:
//! - the element count, counted on the markup before parsing (one `memchr` pass); a page over
//!   [`MAX_ELEMENTS`] start tags is refused with [`ArticleError::TooManyElements`];
//! - the nesting depth, first on the markup (`nesting`, because parsing itself is quadratic in
//!   depth), then on the parsed tree as a backstop: elements deeper than [`MAX_DEPTH`] are moved
//!   up to be children of their ancestor at that depth, in document order (much as Blink's
//!   parser does past its depth limit). The text survives in its order; only nesting beyond the
//!   limit is lost.

use crate::ArticleError;
use dom_query::{Document, NodeId, NodeRef};
use memchr::memchr_iter;

/// Start tags a page may have. The largest page of the extraction benchmark has about 1,700; a
/// long page of comments or an encyclopaedia article may reach a few tens of thousands. Scoring
/// costs up to elements × depth, so this with [`MAX_DEPTH`] bounds the time of one page.
pub(crate) const MAX_ELEMENTS: usize = 40_000;

/// Nesting depth kept under the document root, a backstop to the markup-level bound of
/// `nesting` (which formatting elements the parser re-opens may exceed by their own limit).
/// Real pages nest a few dozen levels (52 at most over the extraction benchmark); Blink stops
/// at 512. Each scoring step that walks ancestors or descendants is bounded by this.
pub(crate) const MAX_DEPTH: usize = 192;

/// Refuses markup with more than [`MAX_ELEMENTS`] start tags (`<` followed by a letter).
pub(crate) fn check_element_count(html: &str) -> Result<(), ArticleError> {
    let bytes = html.as_bytes();
    let count = memchr_iter(b'<', bytes)
        .filter(|&at| bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic))
        .count();
    if count > MAX_ELEMENTS {
        return Err(ArticleError::TooManyElements {
            count,
            limit: MAX_ELEMENTS,
        });
    }
    Ok(())
}

/// Parses `html` and flattens nesting beyond [`MAX_DEPTH`].
pub(crate) fn parse(html: &str) -> Document {
    let doc = Document::from(html);
    flatten_deep_elements(&doc, MAX_DEPTH);
    doc
}

/// Moves every node deeper than `max_depth + 1` (the document node is depth 0) to the end of its
/// ancestor at depth `max_depth`, in document order: the text keeps its order, while an element
/// moved loses its children to the same ancestor (they follow it). Returns how many nodes moved.
///
/// One pre-order walk with an explicit stack (no recursion), then the moves: linear in the size
/// of the tree.
pub(crate) fn flatten_deep_elements(doc: &Document, max_depth: usize) -> usize {
    let root = doc.root();
    // (node, depth, anchor): the anchor is the ancestor at `max_depth` once below it.
    let mut stack: Vec<(NodeId, usize)> =
        root.children_it(true).map(|child| (child.id, 1)).collect();
    // The ancestors of the current node, by depth; only the first `max_depth + 1` are kept.
    let mut path: Vec<NodeId> = vec![root.id];
    let mut moves: Vec<(NodeId, NodeId)> = Vec::new();
    while let Some((id, depth)) = stack.pop() {
        let node = NodeRef::new(id, &doc.tree);
        path.truncate(depth.min(max_depth + 1));
        if depth <= max_depth {
            path.push(id);
        }
        if depth > max_depth + 1 {
            if let Some(anchor) = path.get(max_depth) {
                moves.push((*anchor, id));
            }
        }
        for child in node.children_it(true) {
            stack.push((child.id, depth + 1));
        }
    }
    for (anchor, id) in &moves {
        NodeRef::new(*anchor, &doc.tree).append_child(id);
    }
    moves.len()
}

/// The depth of the deepest node under the document root (the root is depth 0).
#[cfg(test)]
pub(crate) fn max_depth(doc: &Document) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(NodeRef, usize)> = vec![(doc.root(), 0)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        stack.extend(node.children_it(false).map(|c| (c, depth + 1)));
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize, inner: &str) -> String {
        format!(
            "<html><body>{}{inner}{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        )
    }

    #[test]
    fn shallow_pages_are_left_alone() {
        let html = nested(10, "<p>Officers searched the house.</p>");
        let doc = Document::from(html.as_str());
        let before = doc.html().to_string();
        assert_eq!(flatten_deep_elements(&doc, 20), 0);
        assert_eq!(doc.html().to_string(), before);
    }

    #[test]
    fn deep_nesting_is_cut_to_the_limit_keeping_text_in_order() {
        let html = nested(
            50,
            "<p>First paragraph.</p><div><div><p>Second <b>paragraph</b>.</p></div></div>",
        );
        let doc = Document::from(html.as_str());
        assert!(max_depth(&doc) > 50);
        let moved = flatten_deep_elements(&doc, 10);
        assert!(moved > 0);
        // Every node sits at most at depth 11, a child of the anchor at 10.
        assert_eq!(max_depth(&doc), 11);
        let text = doc.root().text().to_string();
        assert_eq!(text, "First paragraph.Second paragraph.");
        assert_eq!(doc.select("p").length(), 2);
    }

    #[test]
    fn element_count_is_bounded() {
        assert!(check_element_count(&"<p>a</p>".repeat(1000)).is_ok());
        // Comparisons and stray brackets are not tags.
        assert!(check_element_count(&"a < b <= c <3 ".repeat(MAX_ELEMENTS)).is_ok());
        let err = check_element_count(&"<i>".repeat(MAX_ELEMENTS + 1)).unwrap_err();
        assert_eq!(
            err,
            ArticleError::TooManyElements {
                count: MAX_ELEMENTS + 1,
                limit: MAX_ELEMENTS
            }
        );
    }
}

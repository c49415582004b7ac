//! What a source lists: RSS and Atom feeds, sitemaps and plain URL lists → the URLs of its items.
//! Pure: bytes in, URLs out, so every format is tested with strings.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;
use url::Url;

/// The format of a watched source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// An RSS 0.9x/1.0/2.0, Atom or JSON Feed (read by feed-rs).
    Feed,
    /// A sitemap (`<urlset>`) or sitemap index (`<sitemapindex>`).
    Sitemap,
    /// A plain text list, one URL a line; `#` starts a comment.
    Urls,
}

impl SourceKind {
    /// The word stored and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::Sitemap => "sitemap",
            SourceKind::Urls => "urls",
        }
    }

    /// Reads the word back.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Feed, Self::Sitemap, Self::Urls]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// One item a source lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Absolute http(s) URL of the item's page.
    pub url: String,
    /// When the source says the item last changed (RFC 3339 or as the sitemap wrote it).
    pub updated: Option<String>,
}

/// What one fetch of a source lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Pages to fetch, in the source's order, each once.
    pub items: Vec<Item>,
    /// Further sitemaps a sitemap index points to.
    pub child_sitemaps: Vec<String>,
}

/// Why a source's bytes could not be read as its kind.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("not a feed: {0}")]
    Feed(String),
    #[error("not a sitemap: {0}")]
    Sitemap(String),
    /// The listing is larger or deeper than any real one: refused before it is parsed.
    #[error("the listing has {found} {what}, over the limit of {limit}")]
    TooLarge {
        /// What was counted (`bytes`, `levels of nested elements`, `elements`, `items`).
        what: &'static str,
        found: usize,
        limit: usize,
    },
    /// The parser failed on this listing in a way it should not (a bug in it); the listing is
    /// skipped and the monitor goes on.
    #[error("the {0} parser failed on this listing")]
    ParserFailed(&'static str),
}

/// Largest listing read, in bytes: the sitemap protocol's own limit (50 MB uncompressed).
pub const MAX_LISTING_BYTES: usize = 50 * 1024 * 1024;
/// Most items one listing may hold: the sitemap protocol's limit of 50,000 URLs per sitemap.
pub const MAX_LISTING_ITEMS: usize = 50_000;
/// Deepest element nesting in a feed or sitemap. Real ones nest fewer than ten levels; the
/// feed parser builds its tree by recursion, so depth is bounded before it runs.
pub const MAX_XML_DEPTH: usize = 64;
/// Most XML elements a feed or sitemap may have (a full sitemap has three or four per URL).
pub const MAX_XML_ELEMENTS: usize = 500_000;

/// Reads a source's bytes as its kind; relative links are resolved against `base` (the source
/// URL). Feeds and sitemaps are held to [`MAX_LISTING_BYTES`], [`MAX_XML_DEPTH`] and
/// [`MAX_XML_ELEMENTS`] before parsing, every listing to [`MAX_LISTING_ITEMS`]; a panic inside a
/// parser becomes [`ParseError::ParserFailed`] instead of taking the monitor down.
pub fn parse_listing(kind: SourceKind, base: &str, bytes: &[u8]) -> Result<Listing, ParseError> {
    let base = Url::parse(base).ok();
    if bytes.len() > MAX_LISTING_BYTES {
        return Err(ParseError::TooLarge {
            what: "bytes",
            found: bytes.len(),
            limit: MAX_LISTING_BYTES,
        });
    }
    if kind != SourceKind::Urls {
        check_xml_shape(bytes)?;
    }
    let parsed = std::panic::catch_unwind(|| match kind {
        SourceKind::Feed => parse_feed(bytes),
        SourceKind::Sitemap => parse_sitemap(bytes),
        SourceKind::Urls => Ok(parse_url_list(bytes)),
    });
    let mut listing = parsed.map_err(|_| ParseError::ParserFailed(kind.as_str()))??;
    if listing.items.len() > MAX_LISTING_ITEMS {
        return Err(ParseError::TooLarge {
            what: "items",
            found: listing.items.len(),
            limit: MAX_LISTING_ITEMS,
        });
    }
    let mut seen = HashSet::new();
    listing.items = listing
        .items
        .into_iter()
        .filter_map(|item| {
            let url = absolute_http_url(base.as_ref(), &item.url)?;
            seen.insert(url.clone()).then_some(Item {
                url,
                updated: item.updated,
            })
        })
        .collect();
    listing.child_sitemaps = listing
        .child_sitemaps
        .iter()
        .filter_map(|u| absolute_http_url(base.as_ref(), u))
        .collect();
    Ok(listing)
}

/// An absolute http(s) URL without its fragment, or `None` for anything else (mailto:, javascript:, junk).
fn absolute_http_url(base: Option<&Url>, raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let mut url = match base {
        Some(base) => base.join(raw).ok()?,
        None => Url::parse(raw).ok()?,
    };
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    url.set_fragment(None);
    Some(url.to_string())
}

/// Counts elements and nesting with a streaming reader (no tree, no recursion) and refuses a
/// document over [`MAX_XML_DEPTH`] or [`MAX_XML_ELEMENTS`]. Malformed XML is left for the real
/// parser to report.
fn check_xml_shape(bytes: &[u8]) -> Result<(), ParseError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    // Mismatched end tags are the real parser's to report; here they must not stop the count.
    reader.config_mut().check_end_names = false;
    let (mut depth, mut elements) = (0usize, 0usize);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(_)) => {
                depth += 1;
                elements += 1;
            }
            Ok(Event::Empty(_)) => elements += 1,
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
        if depth > MAX_XML_DEPTH {
            return Err(ParseError::TooLarge {
                what: "levels of nested elements",
                found: depth,
                limit: MAX_XML_DEPTH,
            });
        }
        if elements > MAX_XML_ELEMENTS {
            return Err(ParseError::TooLarge {
                what: "elements",
                found: elements,
                limit: MAX_XML_ELEMENTS,
            });
        }
        buf.clear();
    }
}

fn parse_feed(bytes: &[u8]) -> Result<Listing, ParseError> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| ParseError::Feed(e.to_string()))?;
    let items = feed
        .entries
        .iter()
        .filter_map(|entry| {
            // The alternate link is the article itself; other rels (enclosure, replies) are not.
            let link = entry
                .links
                .iter()
                .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
                .or(entry.links.first())
                .map(|l| l.href.clone())
                // An RSS guid that is a permalink is the item's URL when no link is given.
                .or_else(|| entry.id.starts_with("http").then(|| entry.id.clone()))?;
            Some(Item {
                url: link,
                updated: entry.updated.or(entry.published).map(|d| d.to_rfc3339()),
            })
        })
        .collect();
    Ok(Listing {
        items,
        child_sitemaps: Vec::new(),
    })
}

fn parse_sitemap(bytes: &[u8]) -> Result<Listing, ParseError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().trim_text(true);
    let mut listing = Listing::default();
    let mut root: Option<String> = None;
    // The element path below the root: `url`/`sitemap`, then `loc`/`lastmod`.
    let mut path: Vec<String> = Vec::new();
    let mut loc: Option<String> = None;
    let mut lastmod: Option<String> = None;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            ParseError::Sitemap(format!("at byte {}: {e}", reader.error_position()))
        })?;
        match event {
            Event::Start(e) => {
                let local = e.local_name();
                let name = AsRef::<str>::as_ref(&local).to_string();
                if root.is_none() {
                    if name != "urlset" && name != "sitemapindex" {
                        return Err(ParseError::Sitemap(format!(
                            "the root element is <{name}>, not <urlset> or <sitemapindex>"
                        )));
                    }
                    root = Some(name);
                } else {
                    path.push(name);
                }
            }
            Event::Text(t) => {
                let text = t.xml10_content().into_owned();
                match path.last().map(String::as_str) {
                    Some("loc") if path.len() == 2 => {
                        loc.get_or_insert_with(String::new).push_str(&text)
                    }
                    Some("lastmod") if path.len() == 2 => lastmod = Some(text),
                    _ => {}
                }
            }
            // quick-xml reports `&amp;` or `&#38;` in a <loc> as a reference of its own.
            Event::GeneralRef(r) if path.last().map(String::as_str) == Some("loc") => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = ch {
                    loc.get_or_insert_with(String::new).push(c);
                }
            }
            Event::End(_) => {
                if path.len() == 1 {
                    if let Some(url) = loc.take() {
                        if root.as_deref() == Some("sitemapindex") {
                            listing.child_sitemaps.push(url);
                        } else {
                            listing.items.push(Item {
                                url,
                                updated: lastmod.take(),
                            });
                        }
                    }
                    lastmod = None;
                }
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if root.is_none() {
        return Err(ParseError::Sitemap("no XML element found".into()));
    }
    Ok(listing)
}

fn parse_url_list(bytes: &[u8]) -> Listing {
    let text = String::from_utf8_lossy(bytes);
    let items = text
        .lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
        .map(|line| Item {
            url: line.to_string(),
            updated: None,
        })
        .collect();
    Listing {
        items,
        child_sitemaps: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(listing: &Listing) -> Vec<&str> {
        listing.items.iter().map(|i| i.url.as_str()).collect()
    }

    #[test]
    fn rss_items_become_absolute_urls_once_each() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Crimea news</title>
            <item><title>Search in Bakhchysarai</title><link>/news/search-bakhchysarai</link>
              <pubDate>Tue, 03 Jun 2025 08:00:00 +0300</pubDate></item>
            <item><title>Court hearing</title><link>https://news.example.org/news/court#top</link></item>
            <item><title>Same again</title><link>https://news.example.org/news/court</link></item>
            <item><title>Mail</title><link>mailto:editor@example.org</link></item>
            </channel></rss>"#;
        let listing = parse_listing(SourceKind::Feed, "https://news.example.org/rss", rss).unwrap();
        assert_eq!(
            urls(&listing),
            [
                "https://news.example.org/news/search-bakhchysarai",
                "https://news.example.org/news/court"
            ]
        );
        assert!(listing.items[0]
            .updated
            .as_deref()
            .unwrap()
            .starts_with("2025-06-03T05:00:00"));
    }

    #[test]
    fn atom_prefers_the_alternate_link() {
        let atom = br#"<?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id><updated>2025-06-03T10:00:00Z</updated>
            <entry><title>Detention in Simferopol</title><id>urn:1</id><updated>2025-06-03T10:00:00Z</updated>
              <link rel="replies" href="https://a.example/comments/1"/>
              <link rel="alternate" href="https://a.example/2025/06/detention"/></entry>
            </feed>"#;
        let listing = parse_listing(SourceKind::Feed, "https://a.example/atom", atom).unwrap();
        assert_eq!(urls(&listing), ["https://a.example/2025/06/detention"]);
    }

    #[test]
    fn sitemap_and_sitemap_index() {
        let sitemap = br#"<?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc>https://b.example/a?x=1&amp;y=2</loc><lastmod>2025-06-01</lastmod></url>
              <url><loc>https://b.example/b</loc></url>
            </urlset>"#;
        let listing = parse_listing(
            SourceKind::Sitemap,
            "https://b.example/sitemap.xml",
            sitemap,
        )
        .unwrap();
        assert_eq!(
            urls(&listing),
            ["https://b.example/a?x=1&y=2", "https://b.example/b"]
        );
        assert_eq!(listing.items[0].updated.as_deref(), Some("2025-06-01"));
        assert_eq!(listing.items[1].updated, None);

        let index = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>https://b.example/news-sitemap.xml</loc></sitemap></sitemapindex>"#;
        let listing =
            parse_listing(SourceKind::Sitemap, "https://b.example/sitemap.xml", index).unwrap();
        assert!(listing.items.is_empty());
        assert_eq!(
            listing.child_sitemaps,
            ["https://b.example/news-sitemap.xml"]
        );
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        let err = parse_listing(
            SourceKind::Sitemap,
            "https://b.example/s",
            b"<html><body>hi</body></html>",
        )
        .unwrap_err();
        assert!(err.to_string().contains("<html>"), "{err}");
        assert!(parse_listing(SourceKind::Feed, "https://b.example/f", b"not xml at all").is_err());
    }

    #[test]
    fn deep_feeds_and_sitemaps_are_refused_before_parsing() {
        let deep = |root: &str| {
            format!(
                "<?xml version=\"1.0\"?><{root}>{}{}</{root}>",
                "<x>".repeat(30_000),
                "</x>".repeat(30_000)
            )
        };
        for (kind, root) in [(SourceKind::Feed, "rss"), (SourceKind::Sitemap, "urlset")] {
            let err = parse_listing(kind, "https://d.example/", deep(root).as_bytes()).unwrap_err();
            assert_eq!(
                err.to_string(),
                "the listing has 65 levels of nested elements, over the limit of 64",
                "{kind:?}"
            );
        }
        // Nesting within the limit is still read.
        let shallow = format!(
            "<urlset>{}<url><loc>https://d.example/a</loc></url>{}</urlset>",
            "<g>".repeat(10),
            "</g>".repeat(10)
        );
        assert!(parse_listing(
            SourceKind::Sitemap,
            "https://d.example/",
            shallow.as_bytes()
        )
        .is_ok());
    }

    #[test]
    fn listings_with_too_many_elements_or_items_are_refused() {
        let flat = format!("<rss>{}</rss>", "<i/>".repeat(MAX_XML_ELEMENTS + 1));
        let err =
            parse_listing(SourceKind::Feed, "https://d.example/", flat.as_bytes()).unwrap_err();
        assert!(
            matches!(
                err,
                ParseError::TooLarge {
                    what: "elements",
                    ..
                }
            ),
            "{err}"
        );
        let list: String = (0..=MAX_LISTING_ITEMS)
            .map(|i| format!("https://d.example/{i}\n"))
            .collect();
        let err =
            parse_listing(SourceKind::Urls, "https://d.example/", list.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "the listing has {} items, over the limit of {MAX_LISTING_ITEMS}",
                MAX_LISTING_ITEMS + 1
            )
        );
        let huge = vec![b' '; MAX_LISTING_BYTES + 1];
        let err = parse_listing(SourceKind::Sitemap, "https://d.example/", &huge).unwrap_err();
        assert!(
            matches!(err, ParseError::TooLarge { what: "bytes", .. }),
            "{err}"
        );
    }

    #[test]
    fn url_lists_skip_comments_blanks_and_other_schemes() {
        let list = b"# watched pages\nhttps://c.example/one\n\n  https://c.example/two  # note\nftp://c.example/x\nrelative/page\n";
        let listing = parse_listing(SourceKind::Urls, "https://c.example/list.txt", list).unwrap();
        assert_eq!(
            urls(&listing),
            [
                "https://c.example/one",
                "https://c.example/two",
                "https://c.example/relative/page"
            ]
        );
    }
}

//! The index itself: schema, opening, writing, rebuilding and searching.

use crate::analysis::{self, NAME_KEY_TOKENIZER, TEXT_TOKENIZER};
use crate::{
    ArticleDoc, EventDoc, FacetCounts, FacetValue, Hit, IndexDoc, IndexSource, Kind, Mode,
    PersonDoc, Query, Results, SearchError, Snippet,
};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::directory::error::LockError;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, QueryParser,
    QueryParserError, TermQuery,
};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value,
    STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument,
    TantivyError, Term,
};

mod inventory;

type Result<T> = std::result::Result<T, SearchError>;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 180;
/// How many values of each facet a search reports.
const FACET_TOP: usize = 20;
/// A name word matches indexed keys it is a prefix of (inflected `Джеляла`, `Dzhelyalov`) only
/// from this many characters on; shorter prefixes match too much.
const PREFIX_MIN_CHARS: usize = 4;
/// A name word matches keys one edit away (typos like `Bakirov` for `Bekirov`) from this length on.
const FUZZY_MIN_CHARS: usize = 5;
/// At most this many indexed keys stand in for one query word, per segment.
const MAX_EXPANSIONS: usize = 64;
/// At most this many dictionary terms are compared when looking for keys one edit away.
const MAX_FUZZY_SCAN: usize = 20_000;
/// Weights: an exact key match outranks a prefix or one-edit match; names outrank running text.
const EXACT_KEY_BOOST: f32 = 3.0;
const NEAR_KEY_BOOST: f32 = 1.0;
/// Memory per indexing thread (tantivy needs at least 15 MB).
const WRITER_MEMORY_PER_THREAD: usize = 64_000_000;
/// How long a writer waits for another process's writer to finish by default.
const DEFAULT_WRITER_WAIT: Duration = Duration::from_secs(30);

/// The index's fields. Filters are lower-cased `name=value` terms (exact, case-insensitive
/// matching); facets keep the display value for counting.
#[derive(Clone, Copy)]
struct Fields {
    uid: Field,
    kind: Field,
    id: Field,
    title: Field,
    body: Field,
    names: Field,
    name_keys: Field,
    filters: Field,
    facets: Field,
    url: Field,
    date: Field,
    article: Field,
}

fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let keys = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(NAME_KEY_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        uid: b.add_text_field("uid", STRING),
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text(true)),
        body: b.add_text_field("body", text(true)),
        names: b.add_text_field("names", text(true)),
        name_keys: b.add_text_field("name_keys", keys),
        filters: b.add_text_field("filters", STRING),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        url: b.add_text_field("url", STORED),
        date: b.add_text_field("date", STORED),
        article: b.add_text_field("article", STORED),
    };
    (b.build(), fields)
}

/// A search index in one directory, derived from the register and rebuildable from it.
///
/// Any number of processes may search the same directory at once; only one may write, and a
/// second writer waits for the first (see [`SearchIndex::set_writer_wait`]).
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    text_parser: QueryParser,
    /// Keys query words the way the name-key field indexes them.
    key_analyzer: TextAnalyzer,
    /// Highlights names in running text (capitalised words only).
    key_highlighter: TextAnalyzer,
    writer_wait: Duration,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if there is none.
    pub fn open_or_create(dir: impl AsRef<Path>) -> Result<SearchIndex> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir).map_err(|source| SearchError::Io {
            dir: dir.clone(),
            source,
        })?;
        let (schema, fields) = build_schema();
        let mmap = tantivy::directory::MmapDirectory::open(&dir).map_err(|e| SearchError::Io {
            dir: dir.clone(),
            source: std::io::Error::other(e),
        })?;
        let index = Index::open_or_create(mmap, schema.clone()).map_err(|e| match e {
            TantivyError::SchemaError(_) => SearchError::SchemaMismatch { dir: dir.clone() },
            other => SearchError::Index {
                action: "opening the index",
                source: other,
            },
        })?;
        if index.schema() != schema {
            return Err(SearchError::SchemaMismatch { dir });
        }
        let key_analyzer = analysis::name_key_analyzer(false);
        let key_highlighter = analysis::name_key_analyzer(true);
        index
            .tokenizers()
            .register(TEXT_TOKENIZER, analysis::text_analyzer());
        index
            .tokenizers()
            .register(NAME_KEY_TOKENIZER, key_analyzer.clone());
        // Another process (the server, an ingest run) may commit at any time: pick its commits up.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(SearchError::index("opening a reader"))?;
        let mut text_parser =
            QueryParser::for_index(&index, vec![fields.title, fields.body, fields.names]);
        text_parser.set_conjunction_by_default();
        text_parser.set_field_boost(fields.title, 2.0);
        text_parser.set_field_boost(fields.names, 3.0);
        Ok(SearchIndex {
            dir,
            index,
            reader,
            fields,
            text_parser,
            key_analyzer,
            key_highlighter,
            writer_wait: DEFAULT_WRITER_WAIT,
        })
    }

    /// How long [`SearchIndex::writer`] waits for another process's writer before giving up.
    pub fn set_writer_wait(&mut self, wait: Duration) {
        self.writer_wait = wait;
    }

    /// The directory the index lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Number of records in the index as last committed.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Makes this process's view current (other processes' commits arrive on their own shortly).
    pub fn refresh(&self) -> Result<()> {
        self.reader
            .reload()
            .map_err(SearchError::index("reloading the reader"))
    }

    /// Takes the index's writer lock, waiting while another process holds it.
    pub fn writer(&self) -> Result<Writer<'_>> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        let started = Instant::now();
        loop {
            match self
                .index
                .writer_with_num_threads(threads, threads * WRITER_MEMORY_PER_THREAD)
            {
                Ok(inner) => {
                    return Ok(Writer {
                        index: self,
                        inner,
                        pending: 0,
                    })
                }
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                    if started.elapsed() >= self.writer_wait {
                        return Err(SearchError::WriterBusy {
                            dir: self.dir.clone(),
                            waited_secs: started.elapsed().as_secs(),
                        });
                    }
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => {
                    return Err(SearchError::Index {
                        action: "taking the writer lock",
                        source: e,
                    })
                }
            }
        }
    }

    /// Replaces the whole index with `docs`, in one commit: readers see the old index until the new
    /// one is complete, and if `docs` yields an error the old index stays as it was.
    pub fn rebuild<I, E>(&self, docs: I) -> Result<usize>
    where
        I: IntoIterator<Item = std::result::Result<IndexDoc, E>>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let mut writer = self.writer()?;
        writer.clear();
        let mut count = 0;
        for doc in docs {
            let doc = doc.map_err(|e| SearchError::Source(e.into()))?;
            writer.insert(&doc)?;
            count += 1;
        }
        writer.finish()?;
        Ok(count)
    }

    /// Replaces the whole index with the records of `source` (see [`SearchIndex::rebuild`]).
    pub fn rebuild_from(&self, source: &dyn IndexSource) -> Result<usize> {
        let mut writer = self.writer()?;
        writer.clear();
        let mut count = 0;
        source.for_each_doc(&mut |doc| {
            count += 1;
            writer.insert(&doc)
        })?;
        writer.finish()?;
        Ok(count)
    }

    /// Runs `query`.
    pub fn search(&self, query: &Query) -> Result<Results> {
        let searcher = self.reader.searcher();
        let f = self.fields;
        let text = query.text.trim();
        crate::query::check_text(text)?;

        let mut parsed: Option<Box<dyn tantivy::query::Query>> = None;
        let mut key_terms: BTreeMap<String, f32> = BTreeMap::new();
        let main: Box<dyn tantivy::query::Query> = if text.is_empty() {
            Box::new(AllQuery)
        } else {
            match query.mode {
                Mode::Exact => {
                    let q = self.parse_text(text)?;
                    parsed = Some(q.box_clone());
                    q
                }
                Mode::Names => self.name_query(&searcher, text, &mut key_terms)?,
                Mode::Auto => {
                    let q = self.parse_text(text)?;
                    parsed = Some(q.box_clone());
                    if has_query_syntax(text) {
                        q
                    } else {
                        let names = self.name_query(&searcher, text, &mut key_terms)?;
                        Box::new(BooleanQuery::new(vec![
                            (Occur::Should, q),
                            (Occur::Should, names),
                        ]))
                    }
                }
            }
        };

        let mut clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> = vec![(Occur::Must, main)];
        if !query.kinds.is_empty() {
            let kinds = query
                .kinds
                .iter()
                .map(|k| filter_term(f.filters, "kind", k.as_str()))
                .collect();
            clauses.push((Occur::Must, filter_query(BooleanQuery::union(kinds))));
        }
        let fl = &query.filters;
        let year = fl.year.map(|y| y.to_string());
        for (name, value) in [
            ("type", fl.event_type.as_deref()),
            ("year", year.as_deref()),
            ("place", fl.place.as_deref()),
            ("status", fl.status.as_deref()),
            ("outlet", fl.outlet.as_deref()),
        ] {
            if let Some(value) = value {
                clauses.push((
                    Occur::Must,
                    filter_query(BooleanQuery::union(vec![filter_term(
                        f.filters, name, value,
                    )])),
                ));
            }
        }
        if !query.include_hidden {
            clauses.push((
                Occur::MustNot,
                filter_term(f.filters, "visibility", crate::Visibility::Hidden.as_str()),
            ));
        }
        let full = BooleanQuery::new(clauses);

        let limit = query.limit.min(Query::MAX_LIMIT);
        let mut facets = FacetCollector::for_field("facets");
        for group in FACET_GROUPS {
            facets.add_facet(Facet::from_path([group]));
        }
        // TopDocs refuses a limit of 0; a counts-only request still asks for one and drops it.
        let top = TopDocs::with_limit(limit.max(1))
            .and_offset(query.offset)
            .order_by_score();
        let (top, total, facet_counts) = searcher
            .search(&full, &(top, Count, facets))
            .map_err(query_or_index_error("searching"))?;

        let snippets = Snippets::new(self, &searcher, parsed.as_deref(), key_terms)?;
        let mut hits = Vec::with_capacity(limit);
        for (score, address) in top.into_iter().take(limit) {
            hits.push(self.hit(&searcher, &snippets, score, address)?);
        }
        // Equal scores come back in segment order, which depends on indexing threads: order ties by
        // kind and id so the same index gives the same page every time.
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.kind.cmp(&b.kind))
                .then_with(|| a.id.cmp(&b.id))
        });

        let group = |name: &str| -> Vec<FacetValue> {
            let mut values: Vec<FacetValue> = facet_counts
                .top_k(Facet::from_path([name]), FACET_TOP)
                .into_iter()
                .filter_map(|(facet, count)| {
                    facet.to_path().last().map(|v| FacetValue {
                        value: (*v).to_string(),
                        count,
                    })
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            values
        };
        Ok(Results {
            total,
            hits,
            facets: FacetCounts {
                kind: group("kind"),
                event_type: group("type"),
                year: group("year"),
                place: group("place"),
                status: group("status"),
                outlet: group("outlet"),
            },
        })
    }

    fn parse_text(&self, text: &str) -> Result<Box<dyn tantivy::query::Query>> {
        self.text_parser
            .parse_query(text)
            .map_err(|e| SearchError::Query {
                reason: describe_parse_error(&e),
            })
    }

    /// Every name word of `text` must match, each through its key: exactly, as a prefix of an
    /// indexed key, or one edit away. The concrete keys used go into `terms` for highlighting.
    fn name_query(
        &self,
        searcher: &Searcher,
        text: &str,
        terms: &mut BTreeMap<String, f32>,
    ) -> Result<Box<dyn tantivy::query::Query>> {
        let keys = analysis::name_keys_of(&mut self.key_analyzer.clone(), text);
        if keys.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        let mut per_word = Vec::with_capacity(keys.len());
        for key in &keys {
            let near = self.near_keys(searcher, key)?;
            let mut alternatives: Vec<Box<dyn tantivy::query::Query>> = Vec::new();
            let exact = Term::from_field_text(self.fields.name_keys, key);
            alternatives.push(Box::new(BoostQuery::new(
                Box::new(TermQuery::new(exact, IndexRecordOption::WithFreqs)),
                EXACT_KEY_BOOST,
            )));
            terms.insert(key.clone(), 1.0);
            for other in near {
                let term = Term::from_field_text(self.fields.name_keys, &other);
                alternatives.push(Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    NEAR_KEY_BOOST,
                )));
                terms.entry(other).or_insert(0.5);
            }
            per_word.push((
                Occur::Must,
                Box::new(BooleanQuery::union(alternatives)) as Box<dyn tantivy::query::Query>,
            ));
        }
        Ok(Box::new(BooleanQuery::new(per_word)))
    }

    /// Indexed keys that `key` is a prefix of, or that are one edit away from it.
    fn near_keys(&self, searcher: &Searcher, key: &str) -> Result<BTreeSet<String>> {
        let mut found = BTreeSet::new();
        let chars = key.chars().count();
        if chars < PREFIX_MIN_CHARS {
            return Ok(found);
        }
        let io = |source: std::io::Error| SearchError::Index {
            action: "reading the name dictionary",
            source: source.into(),
        };
        for segment in searcher.segment_readers() {
            let inverted = segment
                .inverted_index(self.fields.name_keys)
                .map_err(SearchError::index("reading the name dictionary"))?;
            let dict = inverted.terms();
            let mut stream = dict
                .range()
                .ge(key.as_bytes())
                .lt(prefix_end(key))
                .into_stream()
                .map_err(io)?;
            let mut taken = 0;
            while stream.advance() && taken < MAX_EXPANSIONS {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    if term != key {
                        found.insert(term.to_string());
                        taken += 1;
                    }
                }
            }
            if chars < FUZZY_MIN_CHARS {
                continue;
            }
            // One edit away, sharing the first two letters (the usual typo keeps the start).
            let start: String = key.chars().take(2).collect();
            let mut stream = dict
                .range()
                .ge(start.as_bytes())
                .lt(prefix_end(&start))
                .into_stream()
                .map_err(io)?;
            let (mut scanned, mut taken) = (0, 0);
            while stream.advance() && scanned < MAX_FUZZY_SCAN && taken < MAX_EXPANSIONS {
                scanned += 1;
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if term.len().abs_diff(key.len()) <= 1
                    && term != key
                    && strsim::levenshtein(term, key) <= 1
                {
                    found.insert(term.to_string());
                    taken += 1;
                }
            }
        }
        Ok(found)
    }

    fn hit(
        &self,
        searcher: &Searcher,
        snippets: &Snippets,
        score: f32,
        address: DocAddress,
    ) -> Result<Hit> {
        let f = self.fields;
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(SearchError::index("reading a stored record"))?;
        let first = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let all =
            |field: Field| -> Vec<&str> { doc.get_all(field).filter_map(|v| v.as_str()).collect() };
        let kind = first(f.kind)
            .as_deref()
            .and_then(Kind::parse)
            .unwrap_or(Kind::Article);
        let id = first(f.id).unwrap_or_default();
        let snippet = match kind {
            // A person's text is their names; a match in the places is shown after them.
            Kind::Person => {
                let names = all(f.names).join("; ");
                let places = all(f.body).join("; ");
                snippets.best(&[(&names, f.names, false), (&places, f.body, false)])
            }
            Kind::Article | Kind::Event => {
                let body = all(f.body).join(" ");
                let names = all(f.names).join("; ");
                snippets.best(&[(&body, f.body, true), (&names, f.names, false)])
            }
        };
        Ok(Hit {
            kind,
            id,
            score,
            title: first(f.title),
            snippet,
        })
    }
}

/// The facet groups every search counts.
const FACET_GROUPS: [&str; 6] = ["kind", "type", "year", "place", "status", "outlet"];

/// Snippet generators for one search: the parsed text query's terms per field, and the name keys.
struct Snippets {
    text: BTreeMap<Field, SnippetGenerator>,
    keys_in_text: Option<SnippetGenerator>,
    keys_in_names: Option<SnippetGenerator>,
}

impl Snippets {
    fn new(
        index: &SearchIndex,
        searcher: &Searcher,
        parsed: Option<&dyn tantivy::query::Query>,
        key_terms: BTreeMap<String, f32>,
    ) -> Result<Snippets> {
        let f = index.fields;
        let mut text = BTreeMap::new();
        if let Some(parsed) = parsed {
            for field in [f.body, f.names] {
                let mut generator = SnippetGenerator::create(searcher, parsed, field)
                    .map_err(query_or_index_error("preparing snippets"))?;
                generator.set_max_num_chars(SNIPPET_CHARS);
                text.insert(field, generator);
            }
        }
        let (keys_in_text, keys_in_names) = if key_terms.is_empty() {
            (None, None)
        } else {
            (
                Some(SnippetGenerator::new(
                    key_terms.clone(),
                    index.key_highlighter.clone(),
                    f.body,
                    SNIPPET_CHARS,
                )),
                Some(SnippetGenerator::new(
                    key_terms,
                    index.key_analyzer.clone(),
                    f.names,
                    SNIPPET_CHARS,
                )),
            )
        };
        Ok(Snippets {
            text,
            keys_in_text,
            keys_in_names,
        })
    }

    /// The first candidate text with a highlighted match wins; otherwise the start of the first.
    /// `running_text` says whether a candidate is prose (names highlighted by capitalised words).
    fn best(&self, candidates: &[(&str, Field, bool)]) -> Snippet {
        for &(text, field, running_text) in candidates {
            if text.is_empty() {
                continue;
            }
            let key_generator = if running_text {
                &self.keys_in_text
            } else {
                &self.keys_in_names
            };
            for generator in [self.text.get(&field), key_generator.as_ref()]
                .into_iter()
                .flatten()
            {
                let snippet = generator.snippet(text);
                if !snippet.highlighted().is_empty() {
                    return to_snippet(snippet.fragment(), snippet.highlighted());
                }
            }
        }
        let text = candidates
            .iter()
            .map(|c| c.0)
            .find(|t| !t.is_empty())
            .unwrap_or("");
        let fragment: String = text.chars().take(SNIPPET_CHARS).collect();
        Snippet {
            fragment,
            highlights: Vec::new(),
        }
    }
}

/// Converts tantivy's byte ranges into character ranges.
fn to_snippet(fragment: &str, highlighted: &[Range<usize>]) -> Snippet {
    let char_at = |byte: usize| {
        fragment
            .get(..byte)
            .map_or_else(|| fragment.chars().count(), |s| s.chars().count())
    };
    Snippet {
        fragment: fragment.to_string(),
        highlights: highlighted
            .iter()
            .map(|r| (char_at(r.start), char_at(r.end)))
            .collect(),
    }
}

/// The smallest byte string greater than every string starting with `prefix` (UTF-8 never
/// contains the byte 0xFF).
fn prefix_end(prefix: &str) -> Vec<u8> {
    let mut end = prefix.as_bytes().to_vec();
    end.push(0xFF);
    end
}

fn filter_term(field: Field, name: &str, value: &str) -> Box<dyn tantivy::query::Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, &filter_value(name, value)),
        IndexRecordOption::Basic,
    ))
}

/// Filters restrict without changing the ranking.
fn filter_query(q: BooleanQuery) -> Box<dyn tantivy::query::Query> {
    Box::new(ConstScoreQuery::new(Box::new(q), 0.0))
}

fn filter_value(name: &str, value: &str) -> String {
    format!("{name}={}", value.trim().to_lowercase())
}

/// Whether the text uses the query language; such queries are taken as written, without the
/// name-key alternative that plain words get.
fn has_query_syntax(text: &str) -> bool {
    text.contains(['"', ':', '(', ')', '[', ']', '{', '}', '^', '~', '*'])
        || text
            .split_whitespace()
            .any(|w| w.starts_with(['+', '-']) || matches!(w, "AND" | "OR" | "NOT" | "IN"))
}

/// Sorts a failure while running a parsed query: what the query asked for that the index cannot do
/// (`title:*` asks whether a field exists, which only fast fields can tell) is the query's
/// error, answered like a syntax error; anything else is the index's. tantivy's message is not
/// passed on for the former: it may quote the query.
fn query_or_index_error(action: &'static str) -> impl FnOnce(TantivyError) -> SearchError {
    move |source| match source {
        TantivyError::SchemaError(_)
        | TantivyError::FieldNotFound(_)
        | TantivyError::InvalidArgument(_) => SearchError::Query {
            reason: "the query asks for something the index cannot search (such as `field:*` \
                     or a pattern); search for words instead"
                .to_string(),
        },
        other => SearchError::Index {
            action,
            source: other,
        },
    }
}

/// A parse error in words a user can act on. tantivy's syntax error repeats the query, which may
/// hold a name, so it is not passed on.
fn describe_parse_error(e: &QueryParserError) -> String {
    match e {
        QueryParserError::SyntaxError(_) => {
            "the query syntax is invalid (check quotes, brackets and operators)".to_string()
        }
        QueryParserError::FieldDoesNotExist(field) => {
            format!("unknown field `{field}`; searchable fields are title, body and names")
        }
        QueryParserError::AllButQueryForbidden => {
            "a query cannot consist only of excluded words".to_string()
        }
        other => other.to_string(),
    }
}

/// Writes to the index; holds the writer lock until dropped. Nothing is visible to readers before
/// [`Writer::commit`], and changes not committed are discarded on drop.
pub struct Writer<'a> {
    index: &'a SearchIndex,
    inner: IndexWriter,
    pending: usize,
}

impl Writer<'_> {
    /// Adds or replaces (same kind and id) a record.
    pub fn add(&mut self, doc: &IndexDoc) -> Result<()> {
        self.delete(doc.kind(), doc.id());
        self.insert(doc)
    }

    /// Adds or replaces an article.
    pub fn add_article(&mut self, doc: &ArticleDoc) -> Result<()> {
        self.add(&IndexDoc::Article(doc.clone()))
    }

    /// Adds or replaces a person.
    pub fn add_person(&mut self, doc: &PersonDoc) -> Result<()> {
        self.add(&IndexDoc::Person(doc.clone()))
    }

    /// Adds or replaces an event.
    pub fn add_event(&mut self, doc: &EventDoc) -> Result<()> {
        self.add(&IndexDoc::Event(doc.clone()))
    }

    /// Removes a record (no error if it is not there).
    pub fn delete(&mut self, kind: Kind, id: &str) {
        let uid = Term::from_field_text(self.index.fields.uid, &uid(kind, id));
        self.inner.delete_term(uid);
        self.pending += 1;
    }

    /// Makes every change so far visible to readers, in this and other processes.
    pub fn commit(&mut self) -> Result<()> {
        self.inner
            .commit()
            .map_err(SearchError::index("committing"))?;
        self.pending = 0;
        self.index.refresh()
    }

    /// Changes made since the last commit.
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// Commits, waits for background merges and releases the lock.
    pub fn finish(mut self) -> Result<()> {
        self.commit()?;
        self.inner
            .wait_merging_threads()
            .map_err(SearchError::index("merging segments"))?;
        self.index.refresh()
    }

    fn clear(&mut self) {
        // Not visible before the commit, so readers keep the old index meanwhile.
        let _opstamp = self.inner.delete_all_documents();
    }

    /// Adds without replacing: for rebuilds, where the index starts empty.
    fn insert(&mut self, doc: &IndexDoc) -> Result<()> {
        if doc.id().trim().is_empty() {
            return Err(SearchError::Document {
                kind: doc.kind(),
                reason: "the id is empty",
            });
        }
        let document = to_document(self.index.fields, doc);
        self.inner
            .add_document(document)
            .map_err(SearchError::index("adding a record"))?;
        self.pending += 1;
        Ok(())
    }
}

fn uid(kind: Kind, id: &str) -> String {
    format!("{}:{id}", kind.as_str())
}

fn to_document(f: Fields, doc: &IndexDoc) -> TantivyDocument {
    let mut d = TantivyDocument::new();
    let kind = doc.kind();
    d.add_text(f.uid, uid(kind, doc.id()));
    d.add_text(f.kind, kind.as_str());
    d.add_text(f.id, doc.id());
    let facet = |d: &mut TantivyDocument, group: &str, value: &str| {
        let value = value.trim();
        if !value.is_empty() {
            d.add_facet(f.facets, Facet::from_path([group, value]));
            d.add_text(f.filters, filter_value(group, value));
        }
    };
    facet(&mut d, "kind", kind.as_str());
    match doc {
        IndexDoc::Article(a) => {
            if let Some(title) = &a.title {
                d.add_text(f.title, title);
            }
            d.add_text(f.body, &a.text);
            for name in &a.people {
                d.add_text(f.names, name);
                d.add_text(f.name_keys, name);
            }
            if let Some(site) = &a.site {
                facet(&mut d, "outlet", site);
            }
            if let Some(year) = a.year {
                facet(&mut d, "year", &year.to_string());
            }
            if let Some(url) = &a.url {
                d.add_text(f.url, url);
            }
        }
        IndexDoc::Person(p) => {
            if let Some(display) = p.names.first() {
                d.add_text(f.title, display);
            }
            for name in &p.names {
                d.add_text(f.names, name);
                d.add_text(f.name_keys, name);
            }
            for place in &p.places {
                d.add_text(f.body, place);
                facet(&mut d, "place", place);
            }
            if let Some(status) = &p.status {
                facet(&mut d, "status", status);
            }
            d.add_text(f.filters, filter_value("visibility", p.visibility.as_str()));
        }
        IndexDoc::Event(e) => {
            d.add_text(f.title, &e.event_type);
            d.add_text(f.body, &e.evidence);
            for name in &e.victims {
                d.add_text(f.names, name);
                d.add_text(f.name_keys, name);
            }
            facet(&mut d, "type", &e.event_type);
            if let Some(year) = e.year {
                facet(&mut d, "year", &year.to_string());
            }
            if let Some(place) = &e.place {
                facet(&mut d, "place", place);
            }
            if let Some(outlet) = &e.outlet {
                facet(&mut d, "outlet", outlet);
            }
            if let Some(date) = &e.date {
                d.add_text(f.date, date);
            }
            d.add_text(f.article, &e.article);
        }
    }
    d
}

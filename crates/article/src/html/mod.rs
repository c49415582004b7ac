//! HTML pages → [`Article`]: metadata from the untouched page ([`metadata`]), then the body cut
//! out by main-content scoring and cleaned of captions, credits, datelines and widgets ([`body`]).

use crate::ArticleError;
use casebook_model::Article;

mod body;
mod limits;
mod metadata;
mod nesting;
mod prefilter;

/// A body with fewer words than this is a stray label or a menu, not an article (the shortest
/// wire item reads "Crimean Tatar activist detained in Simferopol on Tuesday morning").
const MIN_BODY_WORDS: usize = 8;

/// Words (runs containing a letter or digit) across paragraphs.
fn word_count(paragraphs: &[String]) -> usize {
    paragraphs
        .iter()
        .flat_map(|p| p.split_whitespace())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Extracts the article from an HTML page; `url` is where the page was fetched from, if known.
///
/// `id` and `source` are both set to `source`; [`crate::extract`] overwrites them with the
/// original's hash. Fails with [`ArticleError::NoArticle`] when no block of the page reads as
/// article text, and with [`ArticleError::TooManyElements`] for a page too large to score (see the
/// `limits` module, which also flattens nesting too deep to score).
pub fn extract_html(source: &str, html: &str, url: Option<&str>) -> Result<Article, ArticleError> {
    // Scripts, styles and the like are cut before parsing; both readers work on what is left.
    let html = prefilter::strip_inert(html);
    limits::check_element_count(&html)?;
    let html = match nesting::cap_nesting(&html) {
        std::borrow::Cow::Borrowed(_) => html,
        std::borrow::Cow::Owned(capped) => std::borrow::Cow::Owned(capped),
    };
    let doc = limits::parse(&html);
    let meta = metadata::read(&doc, url);
    let paragraphs = body::extract(&html, doc, url, meta.title.as_deref())
        .filter(|p| word_count(p) >= MIN_BODY_WORDS)
        .ok_or(ArticleError::NoArticle)?;
    let language = meta.language.or_else(|| {
        // The detector needs only a sample; the first paragraphs are the article's own words.
        let mut sample = String::new();
        for p in &paragraphs {
            if sample.len() > 2000 {
                break;
            }
            sample.push_str(p);
            sample.push('\n');
        }
        crate::detect_language(&sample)
    });
    Ok(Article {
        id: source.to_string(),
        source: source.to_string(),
        url: url.map(str::to_string),
        canonical_url: meta.canonical_url,
        title: meta.title,
        published: meta.published,
        // Pages name their comment or sharing widget in author fields too ("Facebook").
        authors: meta
            .authors
            .into_iter()
            .filter(|author| !crate::dump::is_widget_line(author))
            .collect(),
        site: meta.site,
        language,
        paragraphs,
        ..Article::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use casebook_model::Precision;

    /// An invented news page in the shape of a regional outlet: JSON-LD, meta tags, a captioned
    /// photo with a credit, a dateline, share buttons, a related list and a footer.
    const PAGE: &str = r##"<!DOCTYPE html>
<html lang="en-GB"><head>
<title>Four Crimean Tatars detained after searches in Strohonivka | Crimea Monitor</title>
<meta property="og:site_name" content="Crimea Monitor">
<meta property="og:title" content="Four Crimean Tatars detained after searches in Strohonivka">
<meta name="author" content="Olena Kovalchuk">
<link rel="canonical" href="https://crimea-monitor.example/news/2025/06/23/strohonivka-searches">
<script type="application/ld+json">
{"@context":"https://schema.org","@graph":[
 {"@type":"WebSite","name":"Crimea Monitor"},
 {"@type":"NewsArticle","headline":"Four Crimean Tatars detained after searches in Strohonivka",
  "datePublished":"2025-06-23T08:42:00+03:00",
  "author":[{"@type":"Person","name":"Olena Kovalchuk"},{"@type":"Person","name":"Ruslan Bekirov"}],
  "publisher":{"@type":"Organization","name":"Crimea Monitor Media"}}]}
</script>
</head><body>
<nav class="main-menu"><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About</a></nav>
<div class="page">
 <article class="story">
  <h1>Four Crimean Tatars detained after searches in Strohonivka</h1>
  <div class="story-meta"><span class="byline">By Olena Kovalchuk</span>
   <time datetime="2025-06-23T08:42:00+03:00">June 23, 2025, 8:42 a.m.</time></div>
  <div class="share-buttons"><a href="#">Facebook</a> <a href="#">Telegram</a> <a href="#">Email</a></div>
  <figure class="story-photo"><img src="search.jpg" alt="">
   <figcaption>Officers outside the house of Server Aliev on Tuesday morning. Photo: Crimean Solidarity</figcaption>
  </figure>
  <div class="story-body">
   <p>On Tuesday morning officers of the Federal Security Service searched the homes of four Crimean
   Tatars in the village of Strohonivka near Simferopol, the human rights group Crimean Solidarity reported.</p>
   <p class="photo-credit">Photo: Crimean Solidarity</p>
   <p class="inline-caption">Relatives of the detained men wait outside the FSB building.</p>
   <p>After the searches, which lasted about three hours, the men were taken to the FSB building in
   Simferopol. Lawyers were not allowed into the houses while the searches went on.</p>
   <p>Among those detained is Server Aliev, a 41-year-old builder and the father of three children.
   His wife said that officers seized religious books and a laptop from the house.</p>
   <p>The searches were carried out in a case of alleged membership of an organisation that is
   banned in Russia but legal in Ukraine. Dozens of people gathered outside the FSB building.</p>
   <p>Updated 10:15 a.m.</p>
  </div>
  <div class="related-articles"><h3>Related</h3><ul>
   <li><a href="/a">Court extends arrest of Bakhchysarai men</a></li>
   <li><a href="/b">Activist fined for social media post</a></li></ul></div>
  <div class="newsletter-signup"><p>Subscribe to our newsletter to get the news from Crimea every morning.</p></div>
 </article>
 <div id="comments"><p>Reader comment: stay strong, brothers, we are with you in this difficult hour.</p></div>
</div>
<footer><p>© 2025 Crimea Monitor. All rights reserved. Contacts and editorial policy.</p></footer>
</body></html>"##;

    fn extract(page: &str, url: Option<&str>) -> Article {
        match extract_html("test-page", page, url) {
            Ok(article) => article,
            Err(e) => panic!("no article: {e}"),
        }
    }

    #[test]
    fn body_keeps_the_report_and_drops_the_chrome() {
        let article = extract(PAGE, None);
        let text = article.text();
        assert_eq!(article.paragraphs.len(), 4, "{:#?}", article.paragraphs);
        assert!(article.paragraphs[0].starts_with("On Tuesday morning officers"));
        assert!(article.paragraphs[2].contains("Server Aliev, a 41-year-old builder"));
        for chrome in [
            "Photo:",
            "Officers outside the house",
            "Facebook",
            "Court extends arrest",
            "Subscribe",
            "Reader comment",
            "All rights reserved",
            "Updated 10:15",
            "June 23, 2025",
            "By Olena",
            "Relatives of the detained men wait",
        ] {
            assert!(!text.contains(chrome), "{chrome:?} left in body:\n{text}");
        }
    }

    #[test]
    fn metadata_comes_from_json_ld_first() {
        let article = extract(
            PAGE,
            Some("https://crimea-monitor.example/news/2025/06/23/x"),
        );
        assert_eq!(
            article.title.as_deref(),
            Some("Four Crimean Tatars detained after searches in Strohonivka")
        );
        let published = article.published.expect("date");
        assert_eq!(published.value, "2025-06-23T08:42:00+03:00");
        assert_eq!(published.precision, Precision::Minute);
        assert_eq!(published.from, "json-ld");
        assert_eq!(article.authors, vec!["Olena Kovalchuk", "Ruslan Bekirov"]);
        assert_eq!(article.site.as_deref(), Some("Crimea Monitor"));
        assert_eq!(article.language.as_deref(), Some("en"));
        assert_eq!(
            article.canonical_url.as_deref(),
            Some("https://crimea-monitor.example/news/2025/06/23/strohonivka-searches")
        );
        assert_eq!(article.id, "test-page");
        assert_eq!(article.source, "test-page");
    }

    /// A page with no JSON-LD and no meta dates, in Russian, so each fallback is exercised.
    fn bare_page(date_markup: &str) -> String {
        format!(
            r#"<html><head><title>Суд продлил арест жителям Бахчисарая</title></head><body>
<div class="content"><h1>Суд продлил арест жителям Бахчисарая</h1>{date_markup}
<p>Киевский районный суд Симферополя продлил на три месяца срок содержания под стражей трём жителям
Бахчисарая, задержанным весной после обысков, сообщила правозащитная инициатива «Крымская солидарность».</p>
<p>Адвокаты заявили, что обжалуют решение суда. По их словам, обвинение построено на показаниях засекреченных
свидетелей и аудиозаписях бесед в мечети, которые эксперты толкуют произвольно.</p>
<p>Родственники задержанных пришли к зданию суда, однако в зал заседаний их не пустили, сославшись на
отсутствие свободных мест. Следующее заседание назначено на конец месяца.</p></div></body></html>"#
        )
    }

    #[test]
    fn date_falls_back_to_meta_time_dateline_and_url() {
        let meta = bare_page("").replace(
            "<head>",
            r#"<head><meta property="article:published_time" content="2025-03-14T17:05:00Z">"#,
        );
        let published = extract(&meta, None).published.expect("meta date");
        assert_eq!(
            (published.value.as_str(), published.from.as_str()),
            ("2025-03-14T17:05:00+00:00", "meta")
        );

        let time = bare_page(r#"<time datetime="2025-03-14">14 марта</time>"#);
        let published = extract(&time, None).published.expect("time date");
        assert_eq!(published.value, "2025-03-14");
        assert_eq!(published.precision, Precision::Day);
        assert_eq!(published.from, "time");

        let dateline = bare_page(r#"<div class="post-date">14 марта 2025, 17:05</div>"#);
        let article = extract(&dateline, None);
        let published = article.published.clone().expect("dateline date");
        assert_eq!(published.value, "2025-03-14T17:05:00");
        assert_eq!(published.from, "dateline");
        assert!(
            !article.text().contains("14 марта 2025"),
            "dateline left in body"
        );

        let url = "https://example.org/news/2025/03/sud-prodlil-arest";
        let published = extract(&bare_page(""), Some(url))
            .published
            .expect("url date");
        assert_eq!(
            (published.value.as_str(), published.precision),
            ("2025-03", Precision::Month)
        );
        assert_eq!(published.from, "url");
    }

    #[test]
    fn language_is_detected_when_the_page_does_not_say() {
        let article = extract(&bare_page(""), Some("https://example.org/a"));
        assert_eq!(article.language.as_deref(), Some("ru"));
        assert_eq!(article.site.as_deref(), Some("example.org"));
        assert_eq!(
            article.title.as_deref(),
            Some("Суд продлил арест жителям Бахчисарая")
        );
        assert!(article.authors.is_empty());
    }

    #[test]
    fn widget_names_in_author_fields_are_not_authors() {
        let page = bare_page("").replace(
            "<head>",
            r#"<head><meta name="author" content="FACEBOOK КОМЕНТАРІ"><meta name="author" content="Ельвіна Сейтова">"#,
        );
        let article = extract(&page, None);
        assert_eq!(article.authors, vec!["Ельвіна Сейтова"]);
    }

    #[test]
    fn page_without_article_is_no_article() {
        for page in [
            "",
            "<html><body></body></html>",
            "<html><body><nav><a href='/'>Home</a><a href='/news'>News</a></nav></body></html>",
            "\u{0}\u{1}<<<>>>&&&;;<!-- never closed",
        ] {
            assert!(
                matches!(extract_html("x", page, None), Err(ArticleError::NoArticle)),
                "{page:?}"
            );
        }
    }

    /// Runs `f` on a thread with a small stack: recursion on the page's depth would overflow it.
    fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap()
    }

    #[test]
    fn a_page_nested_thirty_thousand_deep_is_extracted_quickly() {
        let paragraph = "Officers of the Federal Security Service detained Ismail Bekirov in \
                         Bilohirsk on Tuesday morning, his relatives said. ";
        for (open, close) in [
            ("<div>", "</div>"),
            ("<span>", "</span>"),
            ("<table><tr><td>", ""),
        ] {
            let page = format!(
                "<html><body>{}<p>{}</p>{}</body></html>",
                open.repeat(30_000 / open.matches('<').count()),
                paragraph.repeat(3),
                close.repeat(30_000)
            );
            let started = std::time::Instant::now();
            let article = on_small_stack(move || extract_html("deep", &page, None));
            // Debug build on a shared machine: generous. Before the limits a release build took
            // over a minute at a third of this depth.
            assert!(
                started.elapsed().as_secs() < 20,
                "{open}: {:?}",
                started.elapsed()
            );
            let article = article.unwrap_or_else(|e| panic!("{open}: {e}"));
            assert_eq!(article.paragraphs.len(), 1, "{open}");
            assert!(article.paragraphs[0].contains("Ismail Bekirov"));
        }
    }

    #[test]
    fn a_page_with_too_many_elements_is_refused_by_name() {
        let page = format!(
            "<html><body><p>{}</p>{}</body></html>",
            "Officers detained a man in Simferopol on Monday morning. ".repeat(3),
            "<span>x</span>".repeat(limits::MAX_ELEMENTS)
        );
        let started = std::time::Instant::now();
        let err = extract_html("wide", &page, None).unwrap_err();
        assert!(started.elapsed().as_secs() < 5);
        assert_eq!(
            err,
            ArticleError::TooManyElements {
                count: limits::MAX_ELEMENTS + 3,
                limit: limits::MAX_ELEMENTS
            }
        );
        assert_eq!(
            err.to_string(),
            format!(
                "the page has {} elements, over the limit of {}",
                limits::MAX_ELEMENTS + 3,
                limits::MAX_ELEMENTS
            )
        );
    }

    #[test]
    fn hostile_input_never_panics() {
        let deep = format!(
            "{}<p>{}</p>{}",
            "<div>".repeat(3_000),
            "word ".repeat(200),
            "</div>".repeat(3_000)
        );
        let _ = extract_html("deep", &deep, Some("not a url"));
        let broken_json = r#"<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": </script><p>x</p>"#;
        let _ = extract_html("json", broken_json, Some("http://[::1"));
        let odd_dates = r#"<meta property="article:published_time" content="2025-13-45T99:99">
            <time datetime="яяяя-ии-дд"></time><p>text</p>"#;
        let _ = extract_html("dates", odd_dates, Some("https://e.org/2025/02/31/x"));
        let bytes: String = (0u32..3000)
            .filter_map(|i| char::from_u32((i * 7919) % 0x11000))
            .collect();
        let _ = extract_html("noise", &bytes, None);
    }
}

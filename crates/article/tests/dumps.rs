//! Text dumps → articles: the two shared seeds (read at run time when present) and dumps written
//! for these tests in the same style, about invented people.

use casebook_article::{extract_text_dump, ArticleError};
use casebook_model::Precision;
use std::path::PathBuf;

fn seed(name: &str) -> Option<String> {
    // CASEBOOK_SHARED names the shared folder when the repository is not beside it (a worktree).
    let shared = std::env::var_os("CASEBOOK_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let path = shared.join("seeds").join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            println!("note: seed {} not read ({e}); skipping", path.display());
            None
        }
    }
}

/// The paragraphs of a seed between two lines (inclusive), as the article body must hold them.
fn expected_body(text: &str, first_starts: &str, last_starts: &str) -> Vec<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let from = lines
        .iter()
        .position(|l| l.starts_with(first_starts))
        .expect("first body line");
    let to = lines
        .iter()
        .position(|l| l.starts_with(last_starts))
        .expect("last body line");
    lines[from..=to].iter().map(|l| l.to_string()).collect()
}

#[test]
fn seed_000_dateline_credit_cyrillic_byline_related_list() {
    let Some(text) = seed("000_a09a92dfceb9919f.txt") else {
        return;
    };
    let article = extract_text_dump("000.txt", &text).unwrap();
    assert_eq!(
        article.title.as_deref(),
        Some("Prisoners as weapons: Russia keeps Crimean Tatars as hostages of resistance")
    );
    let published = article.published.as_ref().expect("dateline read");
    assert_eq!(published.value, "2025-06-23T08:42:00");
    assert_eq!(published.precision, Precision::Minute);
    assert_eq!(published.from, "dateline");
    assert_eq!(article.authors, vec!["Анна Бальчінос".to_string()]);
    let body = expected_body(
        &text,
        "During prisoner exchanges",
        "The statement also said",
    );
    assert_eq!(body.len(), 7);
    assert_eq!(article.paragraphs, body);
    let all = article.text();
    for chrome in [
        "PHOTO",
        "You might also like",
        "Jan. 26, 2026",
        "Kakhovka",
        "gas pipeline",
        "Бальчінос",
    ] {
        assert!(!all.contains(chrome), "chrome `{chrome}` in body");
    }
}

#[test]
fn seed_004_repeated_title_and_comment_widgets() {
    let Some(text) = seed("004_338a0795674ae72f.txt") else {
        return;
    };
    let article = extract_text_dump("004.txt", &text).unwrap();
    assert_eq!(
        article.title.as_deref(),
        Some("Russian FSB attempts to create an agent network among the Crimean Tatars")
    );
    assert_eq!(article.published, None);
    assert!(article.authors.is_empty());
    let body = expected_body(
        &text,
        "The Federal Security Service",
        "“I’m afraid this is not the first",
    );
    assert_eq!(body.len(), 8);
    assert_eq!(article.paragraphs, body);
    let all = article.text();
    for chrome in [
        "Share this",
        "Notify of",
        "Inline Feedbacks",
        "View all comments",
        "Copyright",
        "EMPR",
        "Log in",
        "Forgot",
    ] {
        assert!(!all.contains(chrome), "chrome `{chrome}` in body");
    }
}

#[test]
fn dateline_after_title_and_ukrainian_chrome() {
    let dump = "Суд в окупованому Сімферополі продовжив арешт Ельдара Мамутова\n\n\
        23 червня 2025 р., 10:15\n\n\
        (Фото: Кримська солідарність)\n\n\
        Підконтрольний Росії суд продовжив на три місяці арешт кримського татарина Ельдара Мамутова, \
        повідомила його адвокатка.\n\n\
        Читайте також: Окупанти провели обшуки в Бахчисараї\n\n\
        Мамутова затримали в березні після обшуку в його будинку в селі Вілине.\n\n\
        Автор: Ліля Сеїтова\n\n\
        Поділитися\n\n\
        Схожі новини\n\n\
        22 червня 2025\n\n\
        В Криму затримали ще двох активістів\n";
    let article = extract_text_dump("uk.txt", dump).unwrap();
    assert_eq!(
        article.title.as_deref(),
        Some("Суд в окупованому Сімферополі продовжив арешт Ельдара Мамутова")
    );
    assert_eq!(article.published.unwrap().value, "2025-06-23T10:15:00");
    assert_eq!(article.authors, vec!["Ліля Сеїтова".to_string()]);
    assert_eq!(article.paragraphs.len(), 2);
    assert!(article.paragraphs[0].starts_with("Підконтрольний Росії суд"));
    assert!(article.paragraphs[1].starts_with("Мамутова затримали"));
}

#[test]
fn repeated_title_byline_on_top_and_date_at_the_bottom() {
    let dump = "Court in Crimea fines Crimean Tatar for a Facebook post\n\
        Court in Crimea fines Crimean Tatar for a Facebook post\n\n\
        By Emine Kurtseitova\n\n\
        A court in occupied Simferopol fined local resident Server Abduramanov 40,000 rubles for a post \
        about the Crimean Tatar flag, his lawyer said.\n\n\
        The lawyer said the post was published in 2019 and had been read by fewer than a hundred people.\n\n\
        Published 14.03.2024\n\n\
        Leave a comment\n\n\
        Your email address will not be published.\n";
    let article = extract_text_dump("en.txt", dump).unwrap();
    assert_eq!(
        article.title.as_deref(),
        Some("Court in Crimea fines Crimean Tatar for a Facebook post")
    );
    assert_eq!(article.authors, vec!["Emine Kurtseitova".to_string()]);
    let published = article.published.unwrap();
    assert_eq!(
        (published.value.as_str(), published.precision),
        ("2024-03-14", Precision::Day)
    );
    assert_eq!(article.paragraphs.len(), 2);
    assert!(article.paragraphs[1].ends_with("fewer than a hundred people."));
}

#[test]
fn related_headlines_without_a_heading_are_not_body() {
    let dump = "Mejlis: searches continue in Dzhankoi district\n\n\
        Jan. 12, 2026\n\n\
        Russian security forces searched five houses in the Dzhankoi district, the Mejlis said, \
        and detained one man, Rustem Aliev.\n\n\
        Jan. 11, 2026\n\n\
        Occupiers open a new checkpoint near Armiansk\n\n\
        Jan. 10, 2026\n\n\
        A school in Yevpatoria renamed after a Russian soldier\n";
    let article = extract_text_dump("r.txt", dump).unwrap();
    assert_eq!(article.published.unwrap().value, "2026-01-12");
    assert_eq!(article.paragraphs.len(), 1);
    assert!(article.paragraphs[0].ends_with("Rustem Aliev."));
}

#[test]
fn a_body_without_a_title_keeps_its_first_paragraph() {
    let dump = "Officers detained three men in Stary Krym on Thursday, relatives said.\n\n\
        All three were later released without charge.\n";
    let article = extract_text_dump("n.txt", dump).unwrap();
    assert_eq!(article.title, None);
    assert_eq!(article.paragraphs.len(), 2);
}

#[test]
fn chrome_only_and_empty_dumps_are_errors() {
    assert_eq!(
        extract_text_dump("e.txt", "  \n\n \n"),
        Err(ArticleError::NoArticle)
    );
    let chrome =
        "Latest news\n\nShare this:\nNotify of\n\nView all comments\n\nForgot your details?\n";
    assert_eq!(
        extract_text_dump("c.txt", chrome),
        Err(ArticleError::OnlyChrome)
    );
}

//! Text dumps of Russian, Ukrainian, Crimean Tatar and English pages with the header chrome that
//! broke the article stage: rubric lines under the headline, rubric datelines, language switchers,
//! skip links, site names and comment widgets. All texts are written for these tests, about
//! invented people.

use casebook_article::{detect_language, extract_text_dump};
use casebook_model::Article;

/// The article of the text dump of `lines`, read as the file `name`.
fn extract(name: &str, lines: &[&str]) -> Article {
    extract_text_dump(name, &lines.join("\n")).unwrap()
}

/// The date of publication read from the dump, as the article keeps it.
fn published(article: &Article) -> Option<&str> {
    article.published.as_ref().map(|p| p.value.as_str())
}

const RU_BODY_1: &str = "В Джанкое сотрудники ФСБ провели обыски в домах трёх крымских татар, \
    сообщает «Крымская солидарность». Задержан 41-летний Эскендер Муратов.";
const RU_BODY_2: &str =
    "Адвокат Лиля Кемалова рассказала, что её не пустили в дом во время обыска.";

#[test]
fn a_one_word_rubric_after_the_headline_keeps_the_body_russian() {
    let article = extract(
        "ru.txt",
        &[
            "В Джанкое силовики пришли с обысками к крымским татарам",
            "Новость",
            "14 марта 2021, 8:15",
            "",
            "В Джанкое силовики пришли с обысками к крымским татарам",
            "",
            RU_BODY_1,
            "",
            RU_BODY_2,
        ],
    );
    assert_eq!(
        article.title.as_deref(),
        Some("В Джанкое силовики пришли с обысками к крымским татарам")
    );
    assert_eq!(article.paragraphs, vec![RU_BODY_1, RU_BODY_2]);
    assert_eq!(published(&article), Some("2021-03-14T08:15:00"));
}

#[test]
fn a_one_word_rubric_after_the_headline_keeps_the_body_ukrainian() {
    let body = "У Бахчисараї окупаційний суд заарештував на два місяці 35-річного Рената \
        Абібулаєва, повідомляє «Кримська солідарність».";
    let article = extract(
        "uk.txt",
        &[
            "У Бахчисараї суд заарештував кримського татарина",
            "Новина",
            "",
            "05 квітня 2022, 11:40",
            "",
            body,
        ],
    );
    assert_eq!(
        article.title.as_deref(),
        Some("У Бахчисараї суд заарештував кримського татарина")
    );
    assert_eq!(article.paragraphs, vec![body]);
    assert_eq!(detect_language(&article.text()).as_deref(), Some("uk"));
}

#[test]
fn a_one_word_rubric_after_the_headline_keeps_the_body_english_and_turkish() {
    let english = "Officers searched the home of Rustem Aliyev in Stary Krym on Tuesday, his \
        relatives said.";
    let article = extract(
        "en.txt",
        &[
            "Searches in Stary Krym",
            "News",
            "March 2, 2021",
            "",
            english,
        ],
    );
    assert_eq!(article.title.as_deref(), Some("Searches in Stary Krym"));
    assert_eq!(article.paragraphs, vec![english]);

    let turkish = "Kırım'da Rus güvenlik güçleri, Kırım Tatarı Server Kadirov'un evinde arama \
        yaptı.";
    let article = extract(
        "tr.txt",
        &[
            "Kırım'da yeni aramalar",
            "Haber",
            "2 Mart 2021",
            "",
            turkish,
        ],
    );
    assert_eq!(article.title.as_deref(), Some("Kırım'da yeni aramalar"));
    assert_eq!(article.paragraphs, vec![turkish]);
}

#[test]
fn a_rubric_after_the_headline_keeps_the_body_crimean_tatar() {
    let body = "Bağçasarayda FSB hadimleri qırımtatar Server Kadırovnıñ evinde tintüv keçirdiler. \
        Soñra onı tevqif etip Aqmescitke alıp kettiler.";
    let article = extract(
        "crh.txt",
        &[
            "Bağçasarayda tintüvler",
            "Haberler",
            "27 Ekimay 2021",
            "",
            body,
        ],
    );
    assert_eq!(article.title.as_deref(), Some("Bağçasarayda tintüvler"));
    assert_eq!(article.paragraphs, vec![body]);
    assert_eq!(published(&article), Some("2021-10-27"));
    assert_eq!(detect_language(body).as_deref(), Some("crh"));
}

#[test]
fn a_rubric_dateline_is_not_the_headline() {
    let article = extract(
        "ru.txt",
        &[
            "• 12 ноября 2020 в России, Общество",
            "",
            "    Четверо крымчан получили от 11 до 17 лет колонии",
            "",
            RU_BODY_1,
            "",
            RU_BODY_2,
        ],
    );
    assert_eq!(
        article.title.as_deref(),
        Some("Четверо крымчан получили от 11 до 17 лет колонии")
    );
    assert_eq!(published(&article), Some("2020-11-12"));
    assert_eq!(article.paragraphs, vec![RU_BODY_1, RU_BODY_2]);
}

#[test]
fn skip_links_are_not_the_headline_nor_body() {
    let title = "\"Угроза здоровью\". Как содержат крымских политзаключенных";
    let article = extract(
        "ru.txt",
        &[
            title,
            "",
            "Ссылки для упрощенного доступа",
            "",
            title,
            "",
            RU_BODY_1,
        ],
    );
    assert_eq!(article.title.as_deref(), Some(title));
    assert_eq!(article.paragraphs, vec![RU_BODY_1]);

    let article = extract(
        "uk.txt",
        &[
            "Generic selectors",
            "Exact matches only",
            "Search in title",
            "Search in content",
            "Post Type Selectors",
            "",
            "Повернення ще трьох цивільних кримчан з полону",
            "",
            "Увечері 3 липня з російського полону повернулися троє цивільних, серед них Ісмаїл \
         Сеїтов.",
        ],
    );
    assert_eq!(
        article.title.as_deref(),
        Some("Повернення ще трьох цивільних кримчан з полону")
    );
    assert_eq!(article.paragraphs.len(), 1);
}

#[test]
fn a_language_switcher_is_not_the_headline_and_the_body_survives() {
    let body = "В окупованому Криму суд оштрафував ще п’ятьох кримських татар, які чекали біля \
        будівлі суду на вирок у справі Алі Сулейманова.";
    let article = extract(
        "uk.txt",
        &[
            "UA EN",
            "",
            "У Криму суд оштрафував ще п’ятьох кримських татар",
            "",
            "12:00 19.11.2021",
            "",
            body,
        ],
    );
    assert_eq!(
        article.title.as_deref(),
        Some("У Криму суд оштрафував ще п’ятьох кримських татар")
    );
    assert_eq!(published(&article), Some("2021-11-19T12:00:00"));
    assert_eq!(article.paragraphs, vec![body]);
}

#[test]
fn the_site_name_gives_way_to_the_headline() {
    let article = extract(
        "ru.txt",
        &[
            "Крым.Реалии",
            "Суд в Симферополе продлил арест Асану Велиеву",
            "3 февраля 2023",
            "",
            RU_BODY_1,
        ],
    );
    assert_eq!(
        article.title.as_deref(),
        Some("Суд в Симферополе продлил арест Асану Велиеву")
    );
    assert_eq!(article.paragraphs, vec![RU_BODY_1]);
}

#[test]
fn a_comment_widget_is_never_the_author() {
    let body = "Окупаційний суд у Сімферополі продовжив арешт Ервіну Халілову ще на три місяці.";
    let article = extract(
        "uk.txt",
        &[
            "Суд продовжив арешт Ервіну Халілову",
            "",
            body,
            "",
            "FACEBOOK КОМЕНТАРІ",
            "",
            "Ще новини",
        ],
    );
    assert!(article.authors.is_empty(), "{:?}", article.authors);
    assert_eq!(article.paragraphs, vec![body]);

    let article = extract(
        "uk.txt",
        &[
            "Суд продовжив арешт Ервіну Халілову",
            "",
            body,
            "",
            "Поділитися Facebook",
        ],
    );
    assert!(article.authors.is_empty(), "{:?}", article.authors);

    let article = extract(
        "uk.txt",
        &[
            "Суд продовжив арешт Ервіну Халілову",
            "",
            body,
            "",
            "Ольга Максименко",
        ],
    );
    assert_eq!(article.authors, vec!["Ольга Максименко".to_string()]);
}

#[test]
fn a_breadcrumb_trail_is_not_the_headline() {
    let article = extract(
        "uk.txt",
        &[
            "Головна › Новини › Крим",
            "Окупанти провели обшуки у трьох кримських татар у Старому Криму",
            "08.02.2024 09:30",
            "",
            "Російські силовики провели обшуки в будинках трьох кримських татар у Старому Криму, \
         серед них 52-річного Февзі Аблаєва, повідомляє «Кримська солідарність».",
        ],
    );
    assert_eq!(
        article.title.as_deref(),
        Some("Окупанти провели обшуки у трьох кримських татар у Старому Криму")
    );
    assert_eq!(article.paragraphs.len(), 1);
    assert_eq!(published(&article), Some("2024-02-08T09:30:00"));
}

//! A workbook made here with rust_xlsxwriter is read like a CSV: headers recognised, dates as ISO
//! dates, whole numbers without a decimal point, rows numbered from 1 after the header.

use casebook_lists::{read_list, Limits};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

#[test]
fn a_spreadsheet_reads_like_a_csv() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for (c, h) in ["ПІБ", "Дата народження", "Статус", "Строк"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "Куртсеітов Енвер").unwrap();
    let born = ExcelDateTime::from_ymd(1984, 7, 9).unwrap();
    sheet
        .write_datetime_with_format(1, 1, &born, &date)
        .unwrap();
    sheet.write_string(1, 2, "засуджений").unwrap();
    sheet.write_number(1, 3, 13.0).unwrap();
    sheet.write_string(3, 0, "Абдурахманова Лілія").unwrap();
    let bytes = book.save_to_buffer().unwrap();

    let list = read_list("list.xlsx", &bytes, None, &[], &Limits::default()).unwrap();
    assert_eq!(list.rows.len(), 2);
    let first = &list.rows[0];
    assert_eq!((first.row, first.name.as_str()), (1, "Куртсеітов Енвер"));
    assert_eq!(first.birth_date.as_deref(), Some("1984-07-09"));
    assert_eq!(first.term.as_deref(), Some("13"));
    assert_eq!(list.rows[1].row, 3);
    assert_eq!(list.sha256.len(), 64);
}

#[test]
fn a_broken_workbook_names_the_file() {
    let err = read_list(
        "broken.xlsx",
        b"PK\x03\x04garbage",
        None,
        &[],
        &Limits::default(),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("broken.xlsx: "), "{err}");
}

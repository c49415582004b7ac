//! Bytes of a list file → a table of text cells: CSV in any of the encodings lists come in (UTF-8,
//! UTF-8 or UTF-16 with a byte-order mark, Windows-1251) or the first sheet of an XLSX workbook, held
//! to the [`Limits`] before and while it is read.

use crate::error::{ListError, Result};
/// Bounds on what one list may be: a list is a few thousand rows of short cells, so anything far
/// larger is a mistake or an attack, refused with the file and the reason.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Largest file, in bytes.
    pub max_bytes: usize,
    /// Largest uncompressed size of a spreadsheet's parts, in bytes (a zip bomb stops here).
    pub max_unpacked_bytes: u64,
    /// Most data rows (after the header).
    pub max_rows: usize,
    /// Most columns.
    pub max_columns: usize,
    /// Longest cell, in characters.
    pub max_cell_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 32 << 20,
            max_unpacked_bytes: 256 << 20,
            max_rows: 100_000,
            max_columns: 200,
            max_cell_chars: 4_000,
        }
    }
}

/// One data row of a table, numbered from 1 for the first row after the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub number: usize,
    pub cells: Vec<String>,
}

/// A list as a table: its header and its rows (blank rows are left out but keep their numbers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
}

/// Reads `bytes` (the file `file`) as a table; XLSX is told by its zip signature, anything else is
/// read as delimited text.
pub fn read_table(file: &str, bytes: &[u8], limits: &Limits) -> Result<Table> {
    if bytes.len() > limits.max_bytes {
        return Err(ListError::TooLarge {
            file: file.into(),
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let grid = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(file, bytes, limits)?
    } else {
        read_csv(file, &decode(bytes), limits)?
    };
    table_of(file, grid, limits)
}

/// The text of a CSV file: a byte-order mark decides; else UTF-8 when the bytes are valid UTF-8, and
/// Windows-1251 (the Cyrillic code page spreadsheets export on Windows) when they are not.
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1251
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The delimiter of the header line: the most frequent of comma, semicolon and tab outside quotes
/// (spreadsheets in Russian and Ukrainian locales export with semicolons).
fn delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

fn read_csv(file: &str, text: &str, limits: &Limits) -> Result<Vec<Vec<String>>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut grid = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ListError::Unreadable {
            file: file.into(),
            reason: format!("not a readable CSV table: {e}"),
        })?;
        if grid.len() > limits.max_rows {
            return Err(ListError::TooManyRows {
                file: file.into(),
                limit: limits.max_rows,
            });
        }
        grid.push(record.iter().map(str::to_string).collect());
    }
    Ok(grid)
}

fn read_xlsx(file: &str, bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<String>>> {
    use calamine::Reader;
    let unreadable = |reason: String| ListError::Unreadable {
        file: file.into(),
        reason,
    };
    check_unpacked_size(file, bytes, limits)?;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| unreadable(format!("not a readable XLSX workbook: {e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("the workbook has no sheet".into()))?
        .map_err(|e| unreadable(format!("the first sheet cannot be read: {e}")))?;
    if range.height() > limits.max_rows + 1 {
        return Err(ListError::TooManyRows {
            file: file.into(),
            limit: limits.max_rows,
        });
    }
    Ok(range
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect())
}

/// Refuses a workbook whose parts would unpack to more than the limit, before any is unpacked. The
/// sizes are the archive's own claims: a forged archive may still lie, but a workbook that honestly
/// unpacks to gigabytes is refused without unpacking a byte.
fn check_unpacked_size(file: &str, bytes: &[u8], limits: &Limits) -> Result<()> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| ListError::Unreadable {
            file: file.into(),
            reason: format!("not a readable XLSX workbook: {e}"),
        })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| ListError::Unreadable {
            file: file.into(),
            reason: format!("not a readable XLSX workbook: {e}"),
        })?;
        total = total.saturating_add(entry.size());
        if total > limits.max_unpacked_bytes {
            return Err(ListError::TooLarge {
                file: file.into(),
                size: total.min(usize::MAX as u64) as usize,
                limit: limits.max_unpacked_bytes.min(usize::MAX as u64) as usize,
            });
        }
    }
    Ok(())
}

/// A spreadsheet cell as text: whole numbers without a decimal point, dates as ISO dates.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) => {
                use chrono::Datelike;
                let d = dt.date();
                format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
            }
            None => d.as_f64().to_string(),
        },
    }
}

/// The first non-blank row is the header; the rows after it are numbered from 1.
fn table_of(file: &str, grid: Vec<Vec<String>>, limits: &Limits) -> Result<Table> {
    let mut rows = grid.into_iter();
    let headers = loop {
        match rows.next() {
            Some(row) if row.iter().all(|c| c.trim().is_empty()) => continue,
            Some(row) => break row,
            None => {
                return Err(ListError::Unreadable {
                    file: file.into(),
                    reason: "the list is empty (no header row)".into(),
                })
            }
        }
    };
    let width = headers.len();
    if width > limits.max_columns {
        return Err(ListError::TooManyColumns {
            file: file.into(),
            columns: width,
            limit: limits.max_columns,
        });
    }
    let clean = |row: usize, column: usize, cell: String| -> Result<String> {
        let chars = cell.chars().count();
        if chars > limits.max_cell_chars {
            return Err(ListError::CellTooLong {
                file: file.into(),
                row,
                column: column + 1,
                chars,
                limit: limits.max_cell_chars,
            });
        }
        // Control characters in a name are pasting accidents; they never belong in the register.
        Ok(cell
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .trim()
            .to_string())
    };
    let headers: Vec<String> = headers
        .into_iter()
        .enumerate()
        .map(|(i, h)| clean(0, i, h))
        .collect::<Result<_>>()?;
    let mut table = Table {
        headers,
        rows: Vec::new(),
    };
    for (i, row) in rows.enumerate() {
        let number = i + 1;
        if number > limits.max_rows {
            return Err(ListError::TooManyRows {
                file: file.into(),
                limit: limits.max_rows,
            });
        }
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut cells: Vec<String> = row
            .into_iter()
            .take(width.max(1))
            .enumerate()
            .map(|(c, cell)| clean(number, c, cell))
            .collect::<Result<_>>()?;
        cells.resize(width, String::new());
        table.rows.push(TableRow { number, cells });
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_told_apart() {
        let text = "ФИО;Статус\nАсан Ахтемов;осуждён\n";
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        assert_eq!(decode(&cp1251), text);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom), text);
        assert_eq!(decode(text.as_bytes()), text);
    }

    #[test]
    fn semicolons_and_blank_rows_keep_row_numbers() {
        let csv = "Name;Status\n\"Kurtov, Server\";detained\n;\nEmil Abdullayev;released\n";
        let table = read_table("l.csv", csv.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(table.headers, ["Name", "Status"]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].cells[0], "Kurtov, Server");
        assert_eq!(table.rows[1].number, 3);
    }

    #[test]
    fn limits_name_the_file_and_the_reason() {
        let limits = Limits {
            max_rows: 2,
            max_cell_chars: 10,
            ..Limits::default()
        };
        let err = read_table("big.csv", b"Name\na\nb\nc\n", &limits).unwrap_err();
        assert!(err.to_string().contains("big.csv"), "{err}");
        assert!(err.to_string().contains("more than 2 rows"), "{err}");
        let err = read_table("long.csv", b"Name\nabcdefghijklmnop\n", &limits).unwrap_err();
        assert!(err.to_string().contains("row 1, column 1"), "{err}");
        let small = Limits {
            max_bytes: 4,
            ..Limits::default()
        };
        assert!(matches!(
            read_table("x.csv", b"Name\nabc", &small),
            Err(ListError::TooLarge { .. })
        ));
    }
}

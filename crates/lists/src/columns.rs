//! Which column holds what: the fields of a list, recognised by their headers in English, Russian and
//! Ukrainian (`data/columns.tsv`), overridden by `COLUMN=FIELD`, and a mapping kept from an earlier
//! version of the same list.

use crate::error::{ListError, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// What a column of a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    OtherNames,
    BirthDate,
    Status,
    DateDetained,
    Article,
    Term,
    Place,
    Case,
    Source,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Name,
        Field::OtherNames,
        Field::BirthDate,
        Field::Status,
        Field::DateDetained,
        Field::Article,
        Field::Term,
        Field::Place,
        Field::Case,
        Field::Source,
    ];

    /// The word used in `--map`, in the data file and in stored mappings.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::OtherNames => "other_names",
            Field::BirthDate => "birth_date",
            Field::Status => "status",
            Field::DateDetained => "date_detained",
            Field::Article => "article",
            Field::Term => "term",
            Field::Place => "place",
            Field::Case => "case",
            Field::Source => "source",
        }
    }

    /// Reads the word back.
    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// The column of each field, by column index (from 0); a column no field claims is ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// Header of each column as the file gives it.
    pub headers: Vec<String>,
    /// Field of each column, by index; `None` for a column left out.
    pub fields: Vec<Option<Field>>,
}

impl Mapping {
    /// The column holding `field`, if any (the first, when several do).
    pub fn column(&self, field: Field) -> Option<usize> {
        self.fields.iter().position(|f| *f == Some(field))
    }

    /// Header → field word, for keeping with the list: a later version with these headers is read
    /// the same way without asking again. Columns left out are kept as `ignore`.
    pub fn by_header(&self) -> BTreeMap<String, String> {
        self.headers
            .iter()
            .zip(&self.fields)
            .map(|(h, f)| (normalise(h), f.map_or("ignore", Field::as_str).to_string()))
            .collect()
    }
}

/// Lower case, letters, digits and apostrophes only, single spaces: how headers and status phrases
/// are compared ("Ф.И.О." → "ф и о", "Дата  задержания:" → "дата задержания").
pub(crate) fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'ё' => 'е',
            '’' | 'ʼ' | '`' => '\'',
            _ => c,
        };
        if c.is_alphanumeric() || c == '\'' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// The header table of `data/columns.tsv`: normalised header → field.
static HEADERS: LazyLock<Vec<(String, Field)>> = LazyLock::new(|| {
    let mut out = Vec::new();
    for line in include_str!("../data/columns.tsv").lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        // A line that names no known field is a defect of the data file; the test below reads every line.
        if let Some((field, header)) = line.split_once('\t') {
            if let Some(field) = Field::parse(field.trim()) {
                out.push((normalise(header), field));
            }
        }
    }
    // Longest first, so "фамилия имя отчество" is tried before "имя".
    out.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
    out
});

/// The field a header names, from the header table.
pub fn recognise(header: &str) -> Option<Field> {
    let header = normalise(header);
    if header.is_empty() {
        return None;
    }
    if let Some((_, f)) = HEADERS.iter().find(|(h, _)| *h == header) {
        return Some(*f);
    }
    HEADERS
        .iter()
        .find(|(h, _)| h.contains(' ') && header.starts_with(&format!("{h} ")))
        .map(|(_, f)| *f)
}

/// One `--map COLUMN=FIELD`: COLUMN is a header (compared as headers are) or a column number from 1;
/// FIELD a field word or `ignore`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub column: String,
    pub field: Option<Field>,
}

impl Override {
    /// Reads `COLUMN=FIELD`.
    pub fn parse(given: &str) -> std::result::Result<Override, String> {
        let (column, field) = given
            .rsplit_once('=')
            .ok_or_else(|| format!("{given}: expected COLUMN=FIELD"))?;
        let field = match field.trim() {
            "ignore" | "" => None,
            f => Some(Field::parse(f).ok_or_else(|| {
                let known: Vec<&str> = Field::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "{given}: no field {f:?}; fields: {}, ignore",
                    known.join(", ")
                )
            })?),
        };
        Ok(Override {
            column: column.trim().to_string(),
            field,
        })
    }
}

/// The mapping of a table's `headers`: recognised headers, then the mapping kept from an earlier
/// version of the list (`previous`, header → field word), then the overrides, each over the last.
pub fn map_columns(
    file: &str,
    headers: &[String],
    previous: Option<&BTreeMap<String, String>>,
    overrides: &[Override],
) -> Result<Mapping> {
    let mut fields: Vec<Option<Field>> = headers.iter().map(|h| recognise(h)).collect();
    if let Some(previous) = previous {
        for (i, h) in headers.iter().enumerate() {
            if let Some(word) = previous.get(&normalise(h)) {
                fields[i] = Field::parse(word);
            }
        }
    }
    for o in overrides {
        let bad = |reason: String| ListError::BadMapping {
            file: file.into(),
            given: format!("{}={}", o.column, o.field.map_or("ignore", Field::as_str)),
            reason,
        };
        let wanted = normalise(&o.column);
        let at = headers
            .iter()
            .position(|h| normalise(h) == wanted)
            .or_else(|| {
                o.column
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=headers.len()).contains(n))
                    .map(|n| n - 1)
            })
            .ok_or_else(|| {
                bad(format!(
                    "no column {:?} (columns: {})",
                    o.column,
                    headers.join(", ")
                ))
            })?;
        if let Some(field) = o.field {
            // A field lives in one column: the override takes it from wherever it was recognised.
            for f in fields.iter_mut() {
                if *f == Some(field) {
                    *f = None;
                }
            }
        }
        fields[at] = o.field;
    }
    let mapping = Mapping {
        headers: headers.to_vec(),
        fields,
    };
    if mapping.column(Field::Name).is_none() {
        return Err(ListError::NoNameColumn {
            file: file.into(),
            headers: headers.join(", "),
        });
    }
    Ok(mapping)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn every_data_line_names_a_field() {
        let lines = include_str!("../data/columns.tsv")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert_eq!(HEADERS.len(), lines);
    }

    #[test]
    fn headers_in_three_languages() {
        assert_eq!(recognise("ФИО"), Some(Field::Name));
        assert_eq!(recognise("Ф.И.О."), Some(Field::Name));
        assert_eq!(recognise("ПІБ"), Some(Field::Name));
        assert_eq!(recognise("Full name"), Some(Field::Name));
        assert_eq!(recognise("Дата задержания"), Some(Field::DateDetained));
        assert_eq!(recognise("Дата затримання"), Some(Field::DateDetained));
        assert_eq!(recognise("Место содержания"), Some(Field::Place));
        assert_eq!(recognise("Статья УК РФ"), Some(Field::Article));
        assert_eq!(recognise("Срок"), Some(Field::Term));
        assert_eq!(recognise("Дело"), Some(Field::Case));
        assert_eq!(recognise("Источник"), Some(Field::Source));
        assert_eq!(recognise("Дата рождения"), Some(Field::BirthDate));
        assert_eq!(
            recognise("Фамилия, имя, отчество заключённого"),
            Some(Field::Name)
        );
        assert_eq!(recognise("Notes"), None);
    }

    #[test]
    fn overrides_and_kept_mappings() {
        let headers = strings(&["Person", "Notes", "Current status"]);
        let m = map_columns("l.csv", &headers, None, &[]).unwrap();
        assert_eq!(m.fields, [Some(Field::Name), None, Some(Field::Status)]);
        let o = [
            Override::parse("Notes=place").unwrap(),
            Override::parse("3=ignore").unwrap(),
        ];
        let m = map_columns("l.csv", &headers, None, &o).unwrap();
        assert_eq!(m.fields, [Some(Field::Name), Some(Field::Place), None]);
        let kept = m.by_header();
        let again = map_columns("l2.csv", &headers, Some(&kept), &[]).unwrap();
        assert_eq!(again.fields, m.fields);
        let err = map_columns(
            "l.csv",
            &headers,
            None,
            &[Override::parse("Nope=name").unwrap()],
        )
        .unwrap_err();
        assert!(err.to_string().contains("l.csv"), "{err}");
        assert!(Override::parse("Notes=colour").is_err());
        let err = map_columns("l.csv", &strings(&["A", "B"]), None, &[]).unwrap_err();
        assert!(matches!(err, ListError::NoNameColumn { .. }), "{err}");
    }
}

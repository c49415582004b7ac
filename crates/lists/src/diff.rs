//! What changed between two versions of a list: rows added, removed and changed. Rows are paired by
//! the matching key of their name (and birth date when both give one), then, among rows left, by a
//! same-person score of 0.85 or more, so a respelt name is a change and not a removal and an addition.

use crate::{Field, ListRow};
use casebook_names::{key, score};
use serde::{Deserialize, Serialize};

/// Score from which two rows left unpaired by their keys are one person respelt.
const RESPELT: f64 = 0.85;

/// A row of one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowRef {
    pub row: usize,
    pub name: String,
}

/// One field that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A row in both versions whose fields differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changed {
    /// The row's number in the earlier version.
    pub row_before: usize,
    /// The row's number in the later version.
    pub row: usize,
    pub name: String,
    pub fields: Vec<FieldChange>,
}

/// The difference between two versions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    pub added: Vec<RowRef>,
    pub removed: Vec<RowRef>,
    pub changed: Vec<Changed>,
}

/// Fields compared between versions: every field but the row number.
fn field_changes(a: &ListRow, b: &ListRow) -> Vec<FieldChange> {
    let mut out = Vec::new();
    if a.name != b.name {
        out.push(FieldChange {
            field: "name".into(),
            before: Some(a.name.clone()),
            after: Some(b.name.clone()),
        });
    }
    if a.other_names != b.other_names {
        out.push(FieldChange {
            field: "other_names".into(),
            before: Some(a.other_names.join("; ")).filter(|s| !s.is_empty()),
            after: Some(b.other_names.join("; ")).filter(|s| !s.is_empty()),
        });
    }
    for field in Field::ALL {
        if matches!(field, Field::Name | Field::OtherNames) {
            continue;
        }
        let (x, y) = (a.value(field), b.value(field));
        if x != y {
            out.push(FieldChange {
                field: field.as_str().into(),
                before: x.map(str::to_string),
                after: y.map(str::to_string),
            });
        }
    }
    out
}

/// What changed from `before` to `after`.
pub fn diff(before: &[ListRow], after: &[ListRow]) -> Changes {
    let ident = |r: &ListRow| (key(&r.name), r.birth_date.clone());
    let mut paired_after = vec![false; after.len()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut left: Vec<usize> = Vec::new();
    let mut by_ident: std::collections::HashMap<(String, Option<String>), Vec<usize>> =
        std::collections::HashMap::new();
    for (j, r) in after.iter().enumerate() {
        by_ident.entry(ident(r)).or_default().push(j);
    }
    for (i, r) in before.iter().enumerate() {
        let found = by_ident
            .get_mut(&ident(r))
            .and_then(|js| (!js.is_empty()).then(|| js.remove(0)));
        match found {
            Some(j) => {
                paired_after[j] = true;
                pairs.push((i, j));
            }
            None => left.push(i),
        }
    }
    // Respelt names: best pairs first among the rows left on both sides.
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for &i in &left {
        for (j, r) in after.iter().enumerate() {
            if !paired_after[j] {
                let s = score(&before[i].name, &r.name).value;
                if s >= RESPELT {
                    candidates.push((s, i, j));
                }
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut paired_before = vec![false; before.len()];
    for &(i, _) in &pairs {
        paired_before[i] = true;
    }
    for (_, i, j) in candidates {
        if !paired_before[i] && !paired_after[j] {
            paired_before[i] = true;
            paired_after[j] = true;
            pairs.push((i, j));
        }
    }
    let mut out = Changes::default();
    pairs.sort_by_key(|&(_, j)| after[j].row);
    for (i, j) in pairs {
        let fields = field_changes(&before[i], &after[j]);
        if !fields.is_empty() {
            out.changed.push(Changed {
                row_before: before[i].row,
                row: after[j].row,
                name: after[j].name.clone(),
                fields,
            });
        }
    }
    out.added = after
        .iter()
        .zip(&paired_after)
        .filter(|(_, p)| !**p)
        .map(|(r, _)| RowRef {
            row: r.row,
            name: r.name.clone(),
        })
        .collect();
    out.removed = before
        .iter()
        .zip(&paired_before)
        .filter(|(_, p)| !**p)
        .map(|(r, _)| RowRef {
            row: r.row,
            name: r.name.clone(),
        })
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: usize, name: &str, status: &str) -> ListRow {
        ListRow {
            row: n,
            name: name.into(),
            status: Some(status.into()).filter(|s: &String| !s.is_empty()),
            ..ListRow::default()
        }
    }

    #[test]
    fn added_removed_changed_and_respelt() {
        let v1 = [
            row(1, "Enver Kurtseitov", "в СИЗО"),
            row(2, "Lilia Abdurakhmanova", "осуждена"),
            row(3, "Oleh Vasylenko", "осуждён"),
        ];
        let v2 = [
            row(1, "Lilia Abdurakhmanova", "осуждена"),
            row(2, "Enver Kurtseitov", "осуждён"),
            row(3, "Oleg Vasilenko", "осуждён"),
            row(4, "Memet Sadykov", "в СИЗО"),
        ];
        let c = diff(&v1, &v2);
        assert_eq!(
            c.added,
            [RowRef {
                row: 4,
                name: "Memet Sadykov".into()
            }]
        );
        assert!(c.removed.is_empty(), "{:?}", c.removed);
        let changed: Vec<(usize, usize, Vec<&str>)> = c
            .changed
            .iter()
            .map(|x| {
                (
                    x.row_before,
                    x.row,
                    x.fields.iter().map(|f| f.field.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(changed, [(1, 2, vec!["status"]), (3, 3, vec!["name"])]);
        let c = diff(&v2, &v1[..1]);
        assert_eq!(c.removed.len(), 3);
    }
}

//! Organisations, places and groups: gazetteer phrases first, then capitalised phrases ending in an
//! organisation or detention-place head noun ("Kyivskyi District Court of Simferopol").
//! Every token found here is closed to person recognition.

use crate::lexicon::{Lexicon, Phrase, PhraseKind};
use crate::token::{Case, Kind, Token};
use casebook_model::{EntityKind, EntityMention};

/// What a token has been taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Free,
    /// Part of entity number N (an index into the found entities).
    Entity(usize),
    /// Part of a people or group name.
    Group,
}

/// An entity with the token range it covers.
#[derive(Debug, Clone)]
pub struct FoundEntity {
    pub first: usize,
    /// One past the last token.
    pub last: usize,
    pub kind: EntityKind,
    pub canonical: Option<String>,
    /// Set when a longer organisation name swallowed this one.
    pub absorbed: bool,
}

/// Words that are never inside an organisation's name before its head noun.
const DETERMINERS: [&str; 8] = ["the", "a", "an", "this", "that", "these", "those", "its"];
/// Words that join the head noun of an organisation to its complement.
const JOINERS: [&str; 5] = ["of", "for", "on", "in", "to"];

/// True when a one-word group phrase is a given name here ("Islam Kurtveliev", not "Islam is"): the
/// word is listed as a given name and a capitalised word follows it.
fn given_name_of_a_person(lex: &Lexicon, tokens: &[Token], i: usize, p: &Phrase) -> bool {
    p.kind == PhraseKind::Group
        && p.words.len() == 1
        && tokens
            .get(i)
            .is_some_and(|t| lex.given_names.contains(&t.lower))
        && tokens
            .get(i + 1)
            .is_some_and(|n| n.case == Case::Title && matches!(n.kind, Kind::Word))
}

/// Finds the entities and groups in `tokens`, marking the tokens they cover. `bases` holds each token's
/// other base forms (see `token::base_forms`): an inflected one-word place ("з Ялти") is found by them.
pub fn find(
    lex: &Lexicon,
    tokens: &[Token],
    bases: &[Vec<String>],
    marks: &mut [Mark],
) -> Vec<FoundEntity> {
    let mut found: Vec<FoundEntity> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.case == Case::Lower || !matches!(t.kind, Kind::Word | Kind::Initial) {
            i += 1;
            continue;
        }
        let matched = lex
            .phrases
            .get(&t.lower)
            .and_then(|list| {
                list.iter().find(|p| {
                    p.words
                        .iter()
                        .enumerate()
                        .all(|(k, w)| tokens.get(i + k).is_some_and(|u| u.lower == *w))
                        && !given_name_of_a_person(lex, tokens, i, p)
                })
            })
            .or_else(|| {
                bases.get(i)?.iter().find_map(|b| {
                    lex.phrases
                        .get(b)?
                        .iter()
                        .find(|p| p.words.len() == 1 && p.kind != PhraseKind::Group)
                })
            });
        match matched {
            Some(p) => {
                let end = i + p.words.len();
                let mark = match p.kind {
                    PhraseKind::Group => Mark::Group,
                    PhraseKind::Entity(kind) => {
                        found.push(FoundEntity {
                            first: i,
                            last: end,
                            kind,
                            canonical: Some(p.canonical.clone()),
                            absorbed: false,
                        });
                        Mark::Entity(found.len() - 1)
                    }
                };
                marks[i..end].fill(mark);
                i = end;
            }
            None => i += 1,
        }
    }
    find_headed(lex, tokens, marks, &mut found);
    found
}

/// True when `tokens[i]` may stand inside an organisation's name before its head noun.
fn can_precede_head(lex: &Lexicon, t: &Token) -> bool {
    t.is_capitalised()
        && !DETERMINERS.contains(&t.lower.as_str())
        && !(t.sentence_start
            && lex.not_names.contains(&t.lower)
            && !lex.org_inner.contains(&t.lower))
}

fn find_headed(lex: &Lexicon, tokens: &[Token], marks: &mut [Mark], found: &mut Vec<FoundEntity>) {
    let mut h = 0;
    while h < tokens.len() {
        let t = &tokens[h];
        let kind = match (t.kind, t.case) {
            (Kind::Word, Case::Title | Case::Upper) if marks[h] == Mark::Free => {
                lex.org_heads.get(&t.lower).copied()
            }
            _ => None,
        };
        let Some(kind) = kind else {
            h += 1;
            continue;
        };
        // A head directly followed by another capitalised head continues ("District Military Court").
        if tokens.get(h + 1).is_some_and(|u| {
            u.is_capitalised() && marks[h + 1] == Mark::Free && lex.org_heads.contains_key(&u.lower)
        }) {
            h += 1;
            continue;
        }
        // Left: capitalised words, possessives between them, and whole entities or groups.
        let mut first = h;
        while first > 0 && !tokens[first].sentence_start && !tokens[first].line_break_before {
            let j = first - 1;
            let u = &tokens[j];
            match marks[j] {
                Mark::Entity(e) if u.is_capitalised() => first = found[e].first,
                Mark::Group if u.is_capitalised() => first = j,
                // "Prosecutor's Office", "Foreign Ministers' Council"
                Mark::Free
                    if (u.kind == Kind::Possessive || u.lower == "'")
                        && j > 0
                        && tokens[j - 1].is_capitalised() =>
                {
                    first = j
                }
                Mark::Free if can_precede_head(lex, u) => first = j,
                _ => break,
            }
        }
        // Right: a number ("Colony No. 2"), then "of/for/on the Capitalised ..." or "in <place>".
        let mut last = skip_number(tokens, h + 1);
        while let Some(joiner) = tokens
            .get(last)
            .filter(|u| JOINERS.contains(&u.lower.as_str()))
        {
            let mut k = last + 1;
            if tokens.get(k).is_some_and(|u| u.lower == "the") {
                k += 1;
            }
            let start_k = k;
            while let Some(u) = tokens.get(k) {
                if u.line_break_before || !u.is_capitalised() {
                    break;
                }
                match marks[k] {
                    Mark::Entity(e) => k = found[e].last,
                    Mark::Group | Mark::Free => k += 1,
                }
            }
            let is_place = matches!(marks.get(start_k), Some(Mark::Entity(e)) if found[*e].kind == EntityKind::Place);
            let free_words = matches!(marks.get(start_k), Some(Mark::Free));
            if k == start_k
                || (joiner.lower == "in" && !is_place)
                || (joiner.lower == "to" && !free_words)
            {
                break;
            }
            last = skip_number(tokens, k);
        }
        if last - first < 2 && tokens[h].sentence_start {
            // A lone head word opening a sentence ("Court ...") is a headline word, not a name.
            h += 1;
            continue;
        }
        for m in &marks[first..last] {
            if let Mark::Entity(e) = *m {
                found[e].absorbed = true;
            }
        }
        found.push(FoundEntity {
            first,
            last,
            kind,
            canonical: None,
            absorbed: false,
        });
        let idx = found.len() - 1;
        marks[first..last].fill(Mark::Entity(idx));
        h = last;
    }
}

/// Skips "No. 2", "No 2", "№ 2" or a bare number after a head noun.
fn skip_number(tokens: &[Token], at: usize) -> usize {
    let is_num = |k: usize| tokens.get(k).is_some_and(|u| u.kind == Kind::Number);
    match tokens.get(at) {
        Some(u) if u.kind == Kind::Number => at + 1,
        Some(u) if u.lower == "no" || u.lower == "№" => {
            if tokens.get(at + 1).is_some_and(|v| v.lower == ".") && is_num(at + 2) {
                at + 3
            } else if is_num(at + 1) {
                at + 2
            } else {
                at
            }
        }
        _ => at,
    }
}

/// Turns found entities into model values, in text order.
pub fn to_mentions(text: &str, tokens: &[Token], found: &[FoundEntity]) -> Vec<EntityMention> {
    let mut out: Vec<EntityMention> = found
        .iter()
        .filter(|e| !e.absorbed && e.last > e.first)
        .filter_map(|e| {
            let (a, b) = (tokens.get(e.first)?, tokens.get(e.last - 1)?);
            let surface = text.get(a.start_byte..b.end_byte)?;
            let canonical = e
                .canonical
                .clone()
                .unwrap_or_else(|| surface.split_whitespace().collect::<Vec<_>>().join(" "));
            Some(EntityMention {
                kind: e.kind,
                text: surface.to_string(),
                start: a.start,
                end: b.end,
                canonical,
            })
        })
        .collect();
    out.sort_by_key(|m| m.start);
    out
}

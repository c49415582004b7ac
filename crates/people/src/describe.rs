//! Descriptors ("head of the Mejlis", "lawyer") and relations ("his son", "the wife of X") read from
//! the words around each mention.

use crate::entities::Mark;
use crate::lexicon::Lexicon;
use crate::persons::Found;
use crate::token::{Kind, Token};
use casebook_model::{ArticlePerson, Relation};

/// How far before a name a role word may stand, in tokens.
const WINDOW: usize = 12;
/// How long a role's complement ("of the Mejlis of the Crimean Tatar People") may be, in tokens.
const COMPLEMENT: usize = 9;
/// Words that open a role's complement.
const COMPLEMENT_OPENERS: [&str; 6] = ["of", "at", "in", "for", "from", "with"];
const ARTICLES: [&str; 3] = ["a", "an", "the"];
const POSSESSIVE_PRONOUNS: [&str; 3] = ["his", "her", "their"];

/// Which person, if any, each token's mention names.
fn person_at(tokens: &[Token], found: &[Found]) -> Vec<Option<usize>> {
    let mut at = vec![None; tokens.len()];
    for f in found {
        for slot in at.iter_mut().take(f.last).skip(f.first) {
            *slot = Some(f.person);
        }
    }
    at
}

fn is_boundary(t: &Token) -> bool {
    t.kind == Kind::Punct && ".!?;:()[]\"“”«»".contains(t.lower.as_str())
}

/// Adds descriptors and relations to `persons`.
pub fn describe(
    lex: &Lexicon,
    text: &str,
    tokens: &[Token],
    marks: &[Mark],
    found: &[Found],
    persons: &mut [ArticlePerson],
) {
    let owner = person_at(tokens, found);
    let slice = |a: usize, b: usize| -> Option<String> {
        let (s, e) = (tokens.get(a)?, tokens.get(b.checked_sub(1)?)?);
        Some(
            text.get(s.start_byte..e.end_byte)?
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
    };
    for f in found {
        if let Some(d) =
            left_descriptor(lex, tokens, marks, &owner, f.first).and_then(|(a, b)| slice(a, b))
        {
            push_unique(&mut persons[f.person].descriptors, d);
        }
        if let Some(d) =
            right_descriptor(lex, tokens, &owner, f.last).and_then(|(a, b)| slice(a, b))
        {
            push_unique(&mut persons[f.person].descriptors, d);
        }
        for rel in relations(lex, tokens, &owner, f) {
            if rel.other != f.person && !persons[f.person].relations.contains(&rel) {
                persons[f.person].relations.push(rel);
            }
        }
    }
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !item.is_empty() && !list.contains(&item) {
        list.push(item);
    }
}

/// Length of the role phrase at `at` if it ends before `end`.
fn role_at(lex: &Lexicon, tokens: &[Token], at: usize, end: usize) -> Option<usize> {
    lex.roles.longest_at(|k| {
        if at + k < end {
            tokens.get(at + k).map(|t| t.lower.as_str())
        } else {
            None
        }
    })
}

/// Whether tokens `from..to` may stand between a role phrase and its name: nothing, a comma, or a short
/// complement opened by "of"/"at"/... with no other person in it.
fn joins_role_to_name(tokens: &[Token], owner: &[Option<usize>], from: usize, to: usize) -> bool {
    let between = &tokens[from..to];
    let between = match between.last() {
        Some(t) if t.lower == "," => &between[..between.len() - 1],
        _ => between,
    };
    match between.first() {
        None => true,
        Some(t) => {
            COMPLEMENT_OPENERS.contains(&t.lower.as_str())
                && between.len() <= COMPLEMENT
                && between.iter().all(|u| !is_boundary(u) && u.lower != ",")
                && owner[from..to].iter().all(Option::is_none)
        }
    }
}

/// The token range of a role phrase before the mention starting at `first`.
fn left_descriptor(
    lex: &Lexicon,
    tokens: &[Token],
    marks: &[Mark],
    owner: &[Option<usize>],
    first: usize,
) -> Option<(usize, usize)> {
    let mut start = first;
    while start > 0 && first - start < WINDOW {
        let t = &tokens[start - 1];
        // Stop at another name, and at a possessive: "X's defender Y" describes Y by X.
        if is_boundary(t) || owner[start - 1].is_some() || t.kind == Kind::Possessive {
            break;
        }
        start -= 1;
        if t.sentence_start {
            break;
        }
    }
    let (r, len) = (start..first).find_map(|r| {
        let len = role_at(lex, tokens, r, first)?;
        joins_role_to_name(tokens, owner, r + len, first).then_some((r, len))
    })?;
    // Modifiers and organisation words before the role ("first deputy", "FSB", "Crimean Tatar").
    let mut d = r;
    while d > start {
        let t = &tokens[d - 1];
        let org_word = t.is_capitalised() && marks[d - 1] != Mark::Free;
        if lex.modifiers.contains(&t.lower) || org_word || role_at(lex, tokens, d - 1, r).is_some()
        {
            d -= 1;
        } else {
            break;
        }
    }
    let mut end = first;
    while end > r + len
        && (tokens[end - 1].lower == "," || ARTICLES.contains(&tokens[end - 1].lower.as_str()))
    {
        end -= 1;
    }
    Some((d, end))
}

/// The token range of an apposition after the mention ending at `last`: ", a lawyer," / ", head of the Mejlis".
fn right_descriptor(
    lex: &Lexicon,
    tokens: &[Token],
    owner: &[Option<usize>],
    last: usize,
) -> Option<(usize, usize)> {
    if tokens.get(last)?.lower != "," {
        return None;
    }
    let mut d = last + 1;
    if tokens
        .get(d)
        .is_some_and(|t| ARTICLES.contains(&t.lower.as_str()))
    {
        d += 1;
    }
    let start = d;
    let mut r = d;
    while tokens
        .get(r)
        .is_some_and(|t| lex.modifiers.contains(&t.lower))
        && role_at(lex, tokens, r, tokens.len()).is_none()
    {
        r += 1;
    }
    let len = role_at(lex, tokens, r, tokens.len())?;
    let mut end = r + len;
    if tokens
        .get(end)
        .is_some_and(|t| COMPLEMENT_OPENERS.contains(&t.lower.as_str()))
    {
        let mut k = end;
        while k < tokens.len()
            && k - end < COMPLEMENT
            && !is_boundary(&tokens[k])
            && tokens[k].lower != ","
            && owner[k].is_none()
        {
            k += 1;
        }
        // A complement cut short by another name is a relation, read elsewhere.
        if owner.get(k).copied().flatten().is_none() {
            end = k;
        }
    }
    Some((start, end))
}

/// A relation word at `at`, with its length and kind.
fn relation_at<'l>(lex: &'l Lexicon, tokens: &[Token], at: usize) -> Option<(usize, &'l str)> {
    let one = tokens.get(at)?;
    if let Some(two) = tokens.get(at + 1) {
        let pair = format!("{} {}", one.lower, two.lower);
        if let Some(kind) = lex.relations.get(&pair) {
            return Some((2, kind.as_str()));
        }
    }
    lex.relations.get(&one.lower).map(|kind| (1, kind.as_str()))
}

/// Relations stated around the mention `f`, read as "this person is the KIND of OTHER".
fn relations(lex: &Lexicon, tokens: &[Token], owner: &[Option<usize>], f: &Found) -> Vec<Relation> {
    let mut out = Vec::new();
    // "X's [modifiers] son Y", "his son Y": the relation word stands right before the name.
    let mut r = f.first;
    while r > 0 && tokens[r - 1].lower == "," {
        r -= 1;
    }
    let rel_end = r;
    for len in [1, 2] {
        let Some(at) = rel_end.checked_sub(len) else {
            continue;
        };
        let Some((l, kind)) = relation_at(lex, tokens, at) else {
            continue;
        };
        if at + l != rel_end {
            continue;
        }
        let mut before = at;
        while before > 0 && lex.modifiers.contains(&tokens[before - 1].lower) {
            before -= 1;
        }
        let Some(prev) = before.checked_sub(1).and_then(|p| tokens.get(p)) else {
            break;
        };
        if prev.kind == Kind::Possessive {
            if let Some(other) = before.checked_sub(2).and_then(|p| owner[p]) {
                out.push(Relation {
                    kind: kind.to_string(),
                    other,
                });
            }
        } else if POSSESSIVE_PRONOUNS.contains(&prev.lower.as_str()) {
            if let Some(other) = (0..before - 1)
                .rev()
                .find_map(|p| owner[p].filter(|&o| o != f.person))
            {
                out.push(Relation {
                    kind: kind.to_string(),
                    other,
                });
            }
        }
        break;
    }
    // "the wife of political prisoner X, Y"
    if f.first >= 2 && tokens[f.first - 1].lower == "," {
        if let Some(other) = owner[f.first - 2] {
            let mut xs = f.first - 2;
            while xs > 0 && owner[xs - 1] == Some(other) {
                xs -= 1;
            }
            let of = (xs.saturating_sub(5)..xs)
                .rev()
                .find(|&k| tokens[k].lower == "of" || is_boundary(&tokens[k]));
            if let Some(of) = of.filter(|&k| tokens[k].lower == "of" && k > 0) {
                let rel = relation_at(lex, tokens, of - 1)
                    .filter(|&(l, _)| l == 1)
                    .or_else(|| {
                        of.checked_sub(2)
                            .and_then(|a| relation_at(lex, tokens, a))
                            .filter(|&(l, _)| l == 2)
                    });
                if let Some((_, kind)) = rel {
                    out.push(Relation {
                        kind: kind.to_string(),
                        other,
                    });
                }
            }
        }
    }
    // "Y, the wife of X" / "Y, X's wife"
    if tokens.get(f.last).is_some_and(|t| t.lower == ",") {
        let mut k = f.last + 1;
        if tokens.get(k).is_some_and(|t| {
            ARTICLES.contains(&t.lower.as_str()) || POSSESSIVE_PRONOUNS.contains(&t.lower.as_str())
        }) {
            k += 1;
        }
        while tokens
            .get(k)
            .is_some_and(|t| lex.modifiers.contains(&t.lower))
        {
            k += 1;
        }
        if let Some((l, kind)) = relation_at(lex, tokens, k) {
            if let Some(other) =
                of_other(tokens, owner, k + l, tokens.len().min(k + l + COMPLEMENT))
            {
                out.push(Relation {
                    kind: kind.to_string(),
                    other,
                });
            }
        } else if let Some(other) = owner.get(k).copied().flatten() {
            let mut p = k;
            while owner.get(p).copied().flatten() == Some(other) {
                p += 1;
            }
            if tokens.get(p).is_some_and(|t| t.kind == Kind::Possessive) {
                if let Some((_, kind)) = relation_at(lex, tokens, p + 1) {
                    out.push(Relation {
                        kind: kind.to_string(),
                        other,
                    });
                }
            }
        }
    }
    out
}

/// The person named in "of [words] X" starting at `at`, before token `end`.
fn of_other(tokens: &[Token], owner: &[Option<usize>], at: usize, end: usize) -> Option<usize> {
    if tokens.get(at)?.lower != "of" {
        return None;
    }
    (at + 1..end.min(at + 1 + COMPLEMENT))
        .take_while(|&k| !is_boundary(&tokens[k]))
        .find_map(|k| owner[k])
}

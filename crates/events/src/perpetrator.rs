//! What an event's perpetrator names: a person with their role, as the events stage writes them
//! ("judge Viktor Zaitsev", "судья Иван Петров"), or an institution ("Kyivskyi District Court",
//! "FSB"). The role words are the lexicons' `perpetrator_roles`, in every language read.

use crate::data::{LANGUAGES, LEXICON};
use std::collections::HashSet;
use std::sync::LazyLock;

/// Every language's role words of perpetrators.
static ROLES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    LEXICON
        .perpetrator_roles
        .iter()
        .chain(LANGUAGES.iter().flat_map(|l| &l.lexicon.perpetrator_roles))
        .map(|r| r.to_lowercase())
        .collect()
});

/// Every language's role words of perpetrators, sorted (what a filter by role offers).
pub fn roles() -> Vec<&'static str> {
    let mut roles: Vec<&'static str> = ROLES.iter().map(String::as_str).collect();
    roles.sort_unstable();
    roles
}

/// A perpetrator as a monitor lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Perpetrator {
    /// A named official with their role word ("judge", "следователь").
    Person { role: String, name: String },
    /// A court, a service or another body.
    Institution { name: String },
}

impl Perpetrator {
    /// Reads a perpetrator as the events stage wrote it: a role word first names a person.
    pub fn read(text: &str) -> Perpetrator {
        let text = text.trim();
        if let Some((first, rest)) = text.split_once(' ') {
            if ROLES.contains(first) && !rest.trim().is_empty() {
                return Perpetrator::Person {
                    role: first.to_string(),
                    name: rest.trim().to_string(),
                };
            }
        }
        Perpetrator::Institution {
            name: text.to_string(),
        }
    }

    /// The person's or the institution's name.
    pub fn name(&self) -> &str {
        match self {
            Perpetrator::Person { name, .. } | Perpetrator::Institution { name } => name,
        }
    }

    /// The role word of a person; `None` for an institution.
    pub fn role(&self) -> Option<&str> {
        match self {
            Perpetrator::Person { role, .. } => Some(role),
            Perpetrator::Institution { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_word_first_names_a_person_in_every_language() {
        assert_eq!(
            Perpetrator::read("judge Viktor Zaitsev"),
            Perpetrator::Person {
                role: "judge".into(),
                name: "Viktor Zaitsev".into()
            }
        );
        assert_eq!(Perpetrator::read("судья Иван Петров").role(), Some("судья"));
        assert_eq!(
            Perpetrator::read("слідчий Петро Вигаданий").name(),
            "Петро Вигаданий"
        );
        let court = Perpetrator::read("Kyivskyi District Court");
        assert_eq!(court.role(), None);
        assert_eq!(court.name(), "Kyivskyi District Court");
        // A capitalised first word is part of a name, not a role.
        assert_eq!(Perpetrator::read("Judge Advocate Office").role(), None);
    }
}

//! What an event's perpetrator names: a person with their role, as the events stage writes them
//! ("judge Viktor Zaitsev", "судья Иван Петров"), or an institution ("Kyivskyi District Court",
//! "FSB"). The role words are the lexicons' `perpetrator_roles`, in every language read.

use crate::data::{LANGUAGES, LEXICON};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Every language's role words of perpetrators → the role each is, in the English lexicon's
/// words (`perpetrator_role_classes`; a word without a class is its own role).
static ROLES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let english = LEXICON.perpetrator_roles.iter().map(|r| (r, r));
    let others = LANGUAGES.iter().flat_map(|l| {
        let lexicon = &l.lexicon;
        let classes = &lexicon.perpetrator_role_classes;
        (lexicon.perpetrator_roles.iter().enumerate())
            .map(|(i, r)| (r, classes.get(i).unwrap_or(r)))
    });
    english
        .chain(others)
        .map(|(role, class)| (role.to_lowercase(), class.to_lowercase()))
        .collect()
});

/// Every language's role words of perpetrators, sorted (what a filter by role offers).
pub fn roles() -> Vec<&'static str> {
    let mut roles: Vec<&'static str> = ROLES.keys().map(String::as_str).collect();
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
            if ROLES.contains_key(first) && !rest.trim().is_empty() {
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

    /// The role in the English lexicon's words, whatever the report's language: "judge" for
    /// "судья", "суддя" and "hakim"; `None` for an institution.
    pub fn role_class(&self) -> Option<&str> {
        let role = self.role()?;
        Some(ROLES.get(role).map_or(role, String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_word_is_one_of_the_english_roles() {
        for language in LANGUAGES.iter() {
            let lexicon = &language.lexicon;
            assert_eq!(
                lexicon.perpetrator_roles.len(),
                lexicon.perpetrator_role_classes.len(),
                "each perpetrator role has its class, position by position"
            );
            for class in &lexicon.perpetrator_role_classes {
                assert!(LEXICON.perpetrator_roles.contains(class), "{class:?}");
            }
        }
    }

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
        assert_eq!(
            Perpetrator::read("судья Иван Петров").role_class(),
            Some("judge")
        );
        assert_eq!(
            Perpetrator::read("слідчий Петро Вигаданий").role_class(),
            Some("investigator")
        );
        assert_eq!(
            Perpetrator::read("judge Ivan Petrov").role_class(),
            Some("judge")
        );
        assert_eq!(court.role_class(), None);
        // A capitalised first word is part of a name, not a role.
        assert_eq!(Perpetrator::read("Judge Advocate Office").role(), None);
    }
}

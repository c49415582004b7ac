//! Cases: the named prosecutions a sentence mentions ("the Hizb ut-Tahrir case") and their defendants.

use crate::doc::Doc;
use crate::language::Language;
use crate::text_words;
use casebook_model::{CaseMention, Event, Evidence};
use std::collections::BTreeSet;

impl Language {
    pub(crate) fn find_cases(&self, doc: &Doc, events: &[Event]) -> Vec<CaseMention> {
        let mut cases: Vec<CaseMention> = Vec::new();
        let prosecuted = [
            "charge",
            "trial",
            "sentence",
            "arrest_custody",
            "appeal",
            "detention",
        ];
        for (si, s) in doc.sentences.iter().enumerate() {
            let text = doc.sentence_text(s);
            if !self.case_words.iter().any(|w| text.contains(w.as_str())) {
                continue;
            }
            for re in &self.case_patterns {
                for m in re.find_iter(&text) {
                    let name = m
                        .as_str()
                        .trim_start_matches("the ")
                        .trim_start_matches("The ")
                        .to_string();
                    let words = text_words(&name);
                    let content = words.iter().filter(|w| {
                        !self.case_stop_words.contains(*w)
                            && !self.case_name_words.contains(*w)
                            && !w.ends_with("th")
                    });
                    if content.count() == 0 {
                        continue;
                    }
                    let mut defendants: BTreeSet<usize> = doc
                        .mentions
                        .iter()
                        .filter(|x| x.sentence == si && doc.acceptable_victim(x) && !x.speaker)
                        .map(|x| x.person)
                        .collect();
                    if defendants.is_empty() {
                        for e in events
                            .iter()
                            .filter(|e| prosecuted.contains(&e.event_type.as_str()))
                        {
                            let same_paragraph = doc
                                .sentences
                                .iter()
                                .find(|x| x.start == e.evidence.start)
                                .is_some_and(|x| x.paragraph == s.paragraph);
                            if same_paragraph {
                                defendants.extend(e.victims.iter().copied());
                            }
                        }
                    }
                    let key = name.to_lowercase();
                    if let Some(c) = cases.iter_mut().find(|c| c.name.to_lowercase() == key) {
                        let mut all: BTreeSet<usize> = c.defendants.iter().copied().collect();
                        all.extend(defendants);
                        c.defendants = all.into_iter().collect();
                        continue;
                    }
                    cases.push(CaseMention {
                        name,
                        defendants: defendants.into_iter().collect(),
                        evidence: Evidence {
                            article: doc.article.id.clone(),
                            text: text.clone(),
                            start: s.start,
                            end: s.end,
                        },
                    });
                }
            }
        }
        cases
    }
}

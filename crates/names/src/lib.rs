//! casebook-names: Name keys and same-person scores across scripts and transliteration systems.

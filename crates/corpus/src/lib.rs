//! casebook-corpus: The project's annotated test articles and the scorers that measure the people and event stages.

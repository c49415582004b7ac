//! casebook-article: Turns a decoded document into a clean, dated Article.

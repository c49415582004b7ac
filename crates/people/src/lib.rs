//! casebook-people: Finds people, organisations and places in an article; knows a person again across articles.

//! casebook-events: Finds persecution events, their victims, dates, places and evidence; groups cases; derives status.

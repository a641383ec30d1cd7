//! The integration suite: the real application over HTTP, on SQLite and on PostgreSQL.
//! One test binary for everything (each extra binary is another long link).

mod accounts;
mod case_pages;
mod evidence;
mod filters;
mod fixtures;
mod harness;
mod limits;
mod mail_links;
mod measures;
mod notifications;
mod observations;
mod offered_institutions;
mod page_review;
mod page_titles;
mod phone_pages;
mod protection;
mod queues;
mod receiving;
mod recording;
mod reference;
mod scoping;
mod search;
mod security;
mod sensitive;
mod statistics;
mod tip_thread;
mod wording;

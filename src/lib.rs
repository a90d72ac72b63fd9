//! twelve: a twelve-factor compliance linter for apps deployed to a PaaS.
//!
//! Data flows one way: `walk` → `classify` → `source` (read, mask) → `detect` and
//! `checks` → `suppress`/`config` (decide) → `report`.

pub mod anchor;
pub mod app;
pub mod baseline;
pub mod bounded;
pub mod checks;
pub mod classify;
pub mod code_facts;
pub mod config;
pub mod detect;
pub mod diff;
pub mod discover;
pub mod escape;
pub mod finding;
pub mod git;
pub mod health;
pub mod hosts;
pub mod identity;
pub mod mask;
pub mod narrow;
pub mod platform;
pub mod portfolio;
pub mod redact;
pub mod repo;
pub mod report;
pub mod rules;
pub mod scan;
pub mod selection;
pub mod server;
pub mod shape;
pub mod siblings;
pub mod source;
pub mod suppress;
#[cfg(test)]
mod testing;
pub mod tracked;
pub mod walk;

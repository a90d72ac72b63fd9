//! twelve: a twelve-factor compliance linter for apps deployed to a PaaS.
//!
//! Data flows one way: `walk` → `classify` → `source` (read, mask) → `detect` and
//! `checks` → `suppress`/`config` (decide) → `report`.

pub mod checks;
pub mod classify;
pub mod config;
pub mod detect;
pub mod finding;
pub mod hosts;
pub mod mask;
pub mod repo;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;
pub mod suppress;
pub mod walk;

//! The `twelve check --format json` document as the portfolio reads it: the documented
//! wire format (README, "JSON output"), never twelve's internal types, so reports
//! written by other twelve versions of the same schema version still merge. Fields
//! added after version 1 was published are optional.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
pub struct CheckReport {
    pub version: u32,
    pub tool: Tool,
    #[serde(default)]
    pub findings: Vec<Finding>,
    #[serde(default)]
    pub summary: Summary,
    /// Absent when the check scanned several directories.
    pub platforms: Option<Vec<HostVerdict>>,
    pub stack: Option<Stack>,
    pub repository: Option<Repository>,
    pub health_data: Option<HealthData>,
}

#[derive(Debug, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub factor: Option<u8>,
    pub severity: String,
    pub file: String,
    pub line: usize,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub snippet: String,
    #[serde(default)]
    pub fingerprint: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct Summary {
    #[serde(default)]
    pub files_scanned: usize,
    #[serde(default)]
    pub findings: BTreeMap<String, usize>,
    #[serde(default)]
    pub problems: Vec<Problem>,
}

#[derive(Debug, Deserialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Deserialize)]
pub struct HostVerdict {
    pub host: String,
    pub name: String,
    pub verdict: String,
    pub score: u8,
    #[serde(default)]
    pub blockers: Vec<Cause>,
    #[serde(default)]
    pub degraders: Vec<Cause>,
    #[serde(default)]
    pub advisories: Vec<Cause>,
    pub compliance: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Cause {
    pub id: String,
    pub impact: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub fix: String,
    #[serde(default)]
    pub host_note: String,
    #[serde(default)]
    pub locations: Vec<String>,
    #[serde(default)]
    pub count: usize,
}

#[derive(Debug, Default, Deserialize)]
pub struct Stack {
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub frameworks: Vec<String>,
    #[serde(default)]
    pub advisories: Vec<String>,
    #[serde(default)]
    pub health_libraries: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Repository {
    pub name: String,
    pub commit: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct HealthData {
    #[serde(default)]
    pub libraries: Vec<String>,
    #[serde(default)]
    pub fields: Vec<HealthField>,
}

#[derive(Debug, Deserialize)]
pub struct HealthField {
    pub name: String,
    pub at: String,
}

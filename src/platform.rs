//! The hosts twelve knows and the compliance labels they may hold: plain names shared
//! by the configuration, the rules' impact tables and the portability report.

use serde::Deserialize;

/// A host twelve knows; the order is the one of `rules::spec::HOSTS`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Host {
    Scalingo,
    CleverCloud,
    Scaleway,
}

impl Host {
    pub const ALL: [Host; 3] = [Host::Scalingo, Host::CleverCloud, Host::Scaleway];

    /// The id used in rule files (`[impact]`) and on the command line.
    pub fn id(self) -> &'static str {
        crate::rules::spec::HOSTS[self as usize]
    }

    pub fn name(self) -> &'static str {
        match self {
            Host::Scalingo => "Scalingo",
            Host::CleverCloud => "Clever Cloud",
            Host::Scaleway => "Scaleway Serverless Containers",
        }
    }
}

/// A compliance label a host may hold (platforms.md §1.13, §2.13, §3.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Compliance {
    /// Hébergeur de Données de Santé (French health data hosting).
    Hds,
    /// ANSSI's SecNumCloud qualification.
    Secnumcloud,
}

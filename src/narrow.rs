//! After the scan, keep the findings the user asked about: those in the files named
//! on the command line, on lines changed since `--diff-base`, and not in `--baseline`.

use crate::baseline::Baseline;
use crate::diff::Changes;
use crate::rules::Registry;
use crate::scan::Report;
use crate::selection::Selection;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct Narrowing {
    selection: Option<Selection>,
    changes: Option<Changes>,
    baseline: Option<Baseline>,
}

impl Narrowing {
    /// Reads git and the baseline before the scan, so that a wrong revision or an
    /// unreadable baseline fails fast.
    pub fn prepare(
        selection: Option<Selection>,
        roots: &[PathBuf],
        diff_base: Option<&str>,
        baseline: Option<&Path>,
    ) -> Result<Narrowing, String> {
        Ok(Narrowing {
            selection,
            changes: diff_base
                .map(|base| Changes::under(roots, base))
                .transpose()?,
            baseline: baseline.map(Baseline::load).transpose()?,
        })
    }

    /// Keeps the findings in the named files and on the changed lines.
    pub fn scope(&self, report: &mut Report, registry: &Registry) {
        if let Some(selection) = &self.selection {
            report.findings.retain(|f| selection.includes(f, registry));
        }
        if let Some(changes) = &self.changes {
            report.findings.retain(|f| changes.touches(f, registry));
        }
    }

    /// Drops the findings recorded in the baseline; returns how many.
    pub fn drop_known(&self, report: &mut Report) -> usize {
        let Some(baseline) = &self.baseline else {
            return 0;
        };
        let before = report.findings.len();
        report.findings.retain(|f| !baseline.contains(f));
        before - report.findings.len()
    }
}

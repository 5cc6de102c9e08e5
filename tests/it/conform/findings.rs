//! Runs `mnepack check JOB --json` on a corpus session and reads what it
//! found: the findings of the conform rules (`conform.*` and
//! `loudness.dialogue`), by file, their measure (the first number of
//! `value`) and their stretch (`at`, timecodes of the file from its BWF
//! start, turned back into seconds here by hand, not by the code under
//! test).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use std::collections::HashMap;

use serde_json::Value;

use super::session::{Session, TIME_REFERENCE};
use crate::common;

/// What `check` said about a session.
pub struct Checked {
    /// The command line and its output, for failure messages.
    pub ran: common::Ran,
    /// Every finding.
    pub findings: Vec<Value>,
    /// Delivered path (`MnE/...`) of each source file name in the plan.
    pub delivered: HashMap<String, String>,
}

/// Runs the built binary's `check --json` in the session's folder.
pub fn check(s: &Session) -> Checked {
    let files = [&s.me, &s.opt_a, &s.guide, &s.pm, &s.reference];
    let names: Vec<&str> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap())
        .collect();
    check_in(s.job.parent().unwrap(), &names)
}

/// Runs the built binary's `check --json` on `dir/job.yaml`, whose plan
/// must hold the source files `names`.
pub fn check_in(dir: &std::path::Path, names: &[&str]) -> Checked {
    let ran = common::run_in(
        Some(dir),
        &["check".as_ref(), "job.yaml".as_ref(), "--json".as_ref()],
    );
    let json: Value = serde_json::from_str(&ran.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: no JSON ({e})\n--- stdout\n{}\n--- stderr\n{}",
            ran.line, ran.stdout, ran.stderr
        )
    });
    let findings = json["qc"]["findings"].as_array().unwrap().clone();
    let mut delivered = HashMap::new();
    for item in json["plan"]["items"].as_array().unwrap() {
        let source = item["source"].as_str().unwrap();
        let name = source.rsplit('/').next().unwrap().to_string();
        let path = format!(
            "{}/{}",
            item["folder"].as_str().unwrap(),
            item["name"].as_str().unwrap()
        );
        delivered.insert(name, path);
    }
    for n in names {
        assert!(
            delivered.contains_key(*n),
            "{n} is not in the plan: {json:#}"
        );
    }
    let c = Checked {
        ran,
        findings,
        delivered,
    };
    c.exit_code_matches_the_findings();
    c
}

/// Is this one of the conform rules (spec B5)?
pub fn is_conform(f: &Value) -> bool {
    let r = f["rule"].as_str().unwrap_or("");
    r.starts_with("conform.") || r == "loudness.dialogue"
}

/// The finding's severity.
pub fn severity(f: &Value) -> &str {
    f["severity"].as_str().unwrap()
}

/// The first number of a finding's `value` (`"+4004 samples"` -> 4004,
/// `"-5.1 dB"` -> -5.1); None without a value or a number.
pub fn measure(f: &Value) -> Option<f64> {
    first_number(f["value"].as_str()?)
}

/// The first number in `s`, with its sign.
pub fn first_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let start = b.iter().position(u8::is_ascii_digit)?;
    let mut from = start;
    if from > 0 && matches!(b[from - 1], b'+' | b'-') {
        from -= 1;
    }
    let end = b[start..]
        .iter()
        .position(|c| !(c.is_ascii_digit() || *c == b'.'))
        .map_or(b.len(), |k| start + k);
    s[from..end].parse().ok()
}

/// `HH:MM:SS:FF` at 23.976 (non-drop) as samples since midnight.
fn tc_samples(tc: &str) -> i64 {
    let p: Vec<i64> = tc
        .split([':', ';'])
        .map(|x| x.parse().unwrap_or_else(|_| panic!("timecode {tc}")))
        .collect();
    assert_eq!(p.len(), 4, "timecode {tc}");
    (((p[0] * 60 + p[1]) * 60 + p[2]) * 24 + p[3]) * 2002
}

/// A finding's `at` stretch in seconds from its file's start.
pub fn at_seconds(f: &Value) -> Option<(f64, f64)> {
    let at = f.get("at")?;
    let s = |k: &str| {
        let tc = at[k].as_str()?;
        Some((tc_samples(tc) - TIME_REFERENCE as i64) as f64 / 48_000.0)
    };
    Some((s("start")?, s("end")?))
}

impl Checked {
    /// Every finding, for messages.
    pub fn dump(&self) -> String {
        format!(
            "{}\n{}",
            self.ran.line,
            serde_json::to_string_pretty(&self.findings).unwrap()
        )
    }

    /// The delivered path of the session's file `source` (a path of the session).
    pub fn file(&self, source: &std::path::Path) -> &str {
        let name = source.file_name().unwrap().to_string_lossy();
        &self.delivered[name.as_ref()]
    }

    /// Findings of `rule` on `source`.
    pub fn of(&self, rule: &str, source: &std::path::Path) -> Vec<&Value> {
        let file = self.file(source);
        self.findings
            .iter()
            .filter(|f| f["rule"] == rule && f["file"] == file)
            .collect()
    }

    /// Findings of `rule`, any file.
    pub fn rule(&self, rule: &str) -> Vec<&Value> {
        self.findings.iter().filter(|f| f["rule"] == rule).collect()
    }

    /// Conform findings at warning or error level.
    pub fn conform_problems(&self) -> Vec<&Value> {
        self.findings
            .iter()
            .filter(|f| is_conform(f) && severity(f) != "info")
            .collect()
    }

    /// Asserts that every conform warning or error is one of `allowed`
    /// (rule, file) and that `rule` fired on `source`; returns the findings
    /// of `rule` on `source` (a stretch may come as several).
    pub fn only(
        &self,
        rule: &str,
        source: &std::path::Path,
        allowed: &[(&str, &std::path::Path)],
    ) -> Vec<&Value> {
        let mut ok: Vec<(&str, &str)> = vec![(rule, self.file(source))];
        ok.extend(allowed.iter().map(|(r, p)| (*r, self.file(p))));
        let stray: Vec<_> = self
            .conform_problems()
            .into_iter()
            .filter(|f| {
                !ok.iter()
                    .any(|(r, file)| f["rule"] == *r && f["file"] == *file)
            })
            .collect();
        assert!(
            stray.is_empty(),
            "conform findings other than {rule} on {}: {stray:#?}\n{}",
            self.file(source),
            self.dump()
        );
        let hits = self.of(rule, source);
        assert!(
            !hits.is_empty(),
            "no {rule} finding on {}\n{}",
            self.file(source),
            self.dump()
        );
        hits
    }

    /// The one `conform.sync` finding on `source`.
    pub fn sync(&self, source: &std::path::Path) -> &Value {
        let hits = self.of("conform.sync", source);
        assert_eq!(
            hits.len(),
            1,
            "{} conform.sync findings on {} (one expected)\n{}",
            hits.len(),
            self.file(source),
            self.dump()
        );
        hits[0]
    }

    /// Asserts `source` is in sync: its `conform.sync` is info, measuring 0.
    pub fn in_sync(&self, source: &std::path::Path) {
        let f = self.sync(source);
        assert_eq!(severity(f), "info", "{f:#}");
        assert_eq!(measure(f), Some(0.0), "{f:#}");
    }

    /// `check` exits 1 when some finding is an error, 0 otherwise (spec's
    /// exit-code table: 1 = QC errors).
    fn exit_code_matches_the_findings(&self) {
        let errors = self.findings.iter().any(|f| severity(f) == "error");
        self.ran.expect(i32::from(errors));
    }
}

/// Asserts that all `findings` have `sev` and that their stretches together
/// (the hull of their `at`, since a stretch may be split around dialogue)
/// start and end within `tol` seconds of `truth`.
pub fn stretch(findings: &[&Value], sev: &str, truth: (f64, f64), tol: f64) {
    for f in findings {
        assert_eq!(severity(f), sev, "{f:#}");
    }
    let ats: Vec<(f64, f64)> = findings
        .iter()
        .map(|f| at_seconds(f).unwrap_or_else(|| panic!("no `at` in {f:#}")))
        .collect();
    let start = ats.iter().map(|a| a.0).fold(f64::INFINITY, f64::min);
    let end = ats.iter().map(|a| a.1).fold(f64::NEG_INFINITY, f64::max);
    assert!(
        (start - truth.0).abs() <= tol && (end - truth.1).abs() <= tol,
        "stretch {start:.2}-{end:.2} s, truth {:.2}-{:.2} s (+/- {tol} s): {findings:#?}",
        truth.0,
        truth.1
    );
}

#[test]
fn first_number_reads_signed_values() {
    assert_eq!(first_number("+4004 samples"), Some(4004.0));
    assert_eq!(first_number("-2002 samples (1 frame)"), Some(-2002.0));
    assert_eq!(first_number("-5.1 dB"), Some(-5.1));
    assert_eq!(first_number("L (PM: C)"), None);
    assert_eq!(first_number("no match"), None);
    assert_eq!(tc_samples("01:00:00:00"), TIME_REFERENCE as i64);
    assert_eq!(
        tc_samples("01:00:01:00") - tc_samples("01:00:00:00"),
        24 * 2002
    );
}

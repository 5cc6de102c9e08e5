//! Hostile input (issue 8 item 6): job, profile and manifest YAML that is
//! random, mutated, huge, deeply nested or of the wrong types; titles and
//! descriptions that try to escape the delivery root; symlink loops and
//! links out of the source tree; media headers with malicious size fields.
//! Each case must end in a clear error or a sane result, quickly, without
//! a panic or a stack overflow.

mod binary;
mod media;
mod names;
mod symlinks;
mod yaml;

use std::path::Path;

use chrono::NaiveDate;
use mnepack::Error;
use mnepack::job::Job;

/// The fixed "today" of every job in these tests.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
}

/// Loads job text against `/stage`.
pub fn job(text: &str) -> mnepack::Result<Job> {
    Job::from_yaml(text, Path::new("/stage"), today())
}

/// The message of an `Error::Job`, or a description of what came instead.
pub fn job_message(r: &mnepack::Result<Job>) -> String {
    match r {
        Err(Error::Job { message, .. }) => message.clone(),
        Err(other) => format!("NOT A JOB ERROR: {other:?}"),
        Ok(_) => "LOADED".to_string(),
    }
}

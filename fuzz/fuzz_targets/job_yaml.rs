//! Fuzz target `job_yaml`: any text through the job loader with a fixed base
//! folder and date. Errors must be `Error::Job`; a loaded job's names must
//! stay legal and its YAML must load back to the same job.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mnepack::Error;
use mnepack::job::Job;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
    let base = Path::new("/stage");
    match Job::from_yaml(text, base, today) {
        Ok(job) => {
            let token = job.title_token();
            assert!(
                token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
            );
            let again = Job::from_yaml(&job.to_yaml(), base, today);
            assert!(again.is_ok(), "to_yaml output does not load: {again:?}");
        }
        Err(e) => assert!(matches!(e, Error::Job { .. }), "not a job error: {e:?}"),
    }
});

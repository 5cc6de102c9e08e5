//! Deliveries of a job already under the output folder (issue 5): found by
//! the profile's root template with any delivery number, so `pack` refuses
//! to make delivery01 again when no previous manifest was named, and to
//! redeliver against a delivery that is not the newest.

use std::path::{Path, PathBuf};

use super::Namer;
use super::previous::Previous;
use crate::job::Job;
use crate::manifest::manifest_file_names;
use crate::naming::delivery_token;
use crate::profile::Profile;
use crate::{Error, Refusal, Result};

/// A delivery root found under the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingDelivery {
    /// Its delivery number.
    pub number: u32,
    /// The root folder.
    pub root: PathBuf,
    /// `<root>/<root>.yaml`, when it exists.
    pub manifest: Option<PathBuf>,
}

/// The text around the delivery number in the job's root names.
fn root_pattern(job: &Job, profile: &Profile) -> Result<(String, String)> {
    let namer = Namer::new(job, profile);
    let (a, b) = match (namer.root_name_token("0"), namer.root_name_token("1")) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Err(Refusal::RootTemplate(e).into()),
    };
    let prefix = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let suffix = a
        .bytes()
        .rev()
        .zip(b.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count();
    // The two names differ in exactly one byte: the delivery token.
    match (a.get(..prefix), a.get(prefix + 1..)) {
        (Some(p), Some(s)) if prefix + 1 + suffix == a.len() => Ok((p.to_string(), s.to_string())),
        _ => Err(
            Refusal::RootTemplate("the template names {delivery} more than once".to_string())
                .into(),
        ),
    }
}

/// The delivery number in `name` when it is `prefix<digits>suffix`.
fn number_in(name: &str, prefix: &str, suffix: &str) -> Option<u32> {
    let digits = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Every delivery root of `job` (its title and unit, any number) directly
/// under `output_dir`, by number. A missing folder holds none.
pub fn find_existing_deliveries(
    output_dir: &Path,
    job: &Job,
    profile: &Profile,
) -> Result<Vec<ExistingDelivery>> {
    let (prefix, suffix) = root_pattern(job, profile)?;
    deliveries_named(output_dir, &prefix, &suffix)
}

/// The manifest of the latest delivery of the job's title and unit under
/// `output_dir` that has one: what makes the next pack a redelivery (the
/// same roots, named by the profile's `root_template`, that
/// [`find_existing_deliveries`] lists for the delivery-number rule).
pub fn latest_manifest(output_dir: &Path, job: &Job, profile: &Profile) -> Result<Option<PathBuf>> {
    Ok(find_existing_deliveries(output_dir, job, profile)?
        .into_iter()
        .rev()
        .find_map(|d| d.manifest))
}

/// Every delivery root named `<prefix><number><suffix>` directly under
/// `output_dir`, by number. A missing folder holds none.
pub fn deliveries_named(
    output_dir: &Path,
    prefix: &str,
    suffix: &str,
) -> Result<Vec<ExistingDelivery>> {
    let entries = match std::fs::read_dir(output_dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("cannot list", output_dir, e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("cannot list", output_dir, e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(number) = number_in(name, prefix, suffix) else {
            continue;
        };
        let root = entry.path();
        if !root.is_dir() {
            continue;
        }
        let [yaml, _, _] = manifest_file_names(name);
        let manifest = Some(root.join(yaml)).filter(|m| m.is_file());
        out.push(ExistingDelivery {
            number,
            root,
            manifest,
        });
    }
    out.sort_by(|a, b| a.number.cmp(&b.number).then_with(|| a.root.cmp(&b.root)));
    Ok(out)
}

/// Refuses what would break the sequence of deliveries: deliveries exist
/// but no previous manifest is named (pack would silently make another
/// first delivery), or a delivery newer than the named previous one exists.
/// The message names the newest manifest and how to pass it.
pub fn check_delivery_sequence(
    previous: Option<&Previous>,
    existing: &[ExistingDelivery],
) -> Result<()> {
    let Some(newest) = existing.iter().max_by_key(|e| e.number) else {
        return Ok(());
    };
    let how = match &newest.manifest {
        Some(m) => format!(
            "to redeliver, add `previous: {0}` to the job or pass `pack --previous {0}`",
            m.display()
        ),
        None => format!(
            "{} has no manifest (an interrupted pack?); remove it, or name the manifest of the delivery before it as `previous`",
            newest.root.display()
        ),
    };
    match previous {
        None => Err(Refusal::DeliveryNumber(format!(
            "delivery {} already exists at {}; {how}",
            delivery_token(newest.number),
            newest.root.display()
        ))
        .into()),
        Some(p) if newest.number > p.number() => Err(Refusal::DeliveryNumber(format!(
            "delivery {} at {} is newer than the previous delivery named ({}); {how}",
            delivery_token(newest.number),
            newest.root.display(),
            p.root_name()
        ))
        .into()),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_between_prefix_and_suffix() {
        assert_eq!(number_in("x_lp_delivery02", "x_lp_delivery", ""), Some(2));
        assert_eq!(
            number_in("x_lp_delivery123", "x_lp_delivery", ""),
            Some(123)
        );
        assert_eq!(number_in("x_lp_delivery", "x_lp_delivery", ""), None);
        assert_eq!(number_in("x_lp_delivery02b", "x_lp_delivery", ""), None);
        assert_eq!(number_in("y_lp_delivery02", "x_lp_delivery", ""), None);
        assert_eq!(number_in("d07_x", "d", "_x"), Some(7));
    }
}

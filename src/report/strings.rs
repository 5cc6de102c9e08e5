//! Every user-facing word of the delivery report and its email, in one
//! place.

/// The page title after the root name.
pub const PAGE_TITLE: &str = "mnepack delivery report";
/// Verdict: delivered, no error or warning.
pub const DELIVERED: &str = "Delivered";
/// Verdict: delivered with warnings.
pub const DELIVERED_WARNINGS: &str = "Delivered with warnings";
/// Verdict: delivered although QC found errors (`--force`).
pub const DELIVERED_FORCED: &str = "Delivered despite QC errors (forced)";
/// QC only, no error or warning.
pub const READY: &str = "QC passed: a pack would deliver";
/// QC only, warnings.
pub const READY_WARNINGS: &str = "QC passed with warnings: a pack would deliver";
/// QC only, errors.
pub const REFUSED: &str = "Refused: QC errors; a pack would deliver nothing";
/// A QC-only run copies and hashes nothing.
pub const QC_ONLY: &str = "a QC-only run (check): nothing was copied or hashed";
/// The digests cell of a QC-only run.
pub const NOT_HASHED: &str = "not hashed (QC only)";
/// Read back at packing.
pub const VERIFIED: &str = "every file was read back from the disk and matched";
/// Not read back at packing.
pub const NOT_VERIFIED: &str = "the files were not read back at packing (--no-verify)";
/// Unknown whether read back (a report drawn again from a manifest).
pub const VERIFY_UNKNOWN: &str = "run the verify commands below to prove the files";
/// The manifest no longer matches its `.sha256` line.
pub const EDITED: &str = "the manifest was edited after it was written: verify would fail";
/// Section headings.
pub const H_FILES: &str = "Files";
/// Section heading.
pub const H_FINDINGS: &str = "QC findings";
/// Section heading.
pub const H_LOUDNESS: &str = "Short-term loudness over the programme";
/// Section heading.
pub const H_PEAKS: &str = "True peak per channel";
/// Section heading.
pub const H_CHANGES: &str = "Changes since the previous delivery";
/// Section heading.
pub const H_VERIFY: &str = "How to verify";
/// No findings.
pub const NO_FINDINGS: &str = "No QC findings.";
/// A manifest without the per-second series (an older mnepack).
pub const NO_SERIES: &str = "The loudness plot is unavailable: this manifest was written by an mnepack that did not keep the per-second series.";
/// Column heads of the files table.
pub const FILE_COLUMNS: [&str; 9] = [
    "delivered as",
    "role",
    "ver",
    "status",
    "size",
    "duration",
    "ch",
    "start",
    "digests",
];
/// Column heads of the findings table.
pub const FINDING_COLUMNS: [&str; 4] = ["severity", "rule", "file", "finding"];
/// Legend of the true-peak plot's lines.
pub const PEAK_LINES: &str = "dashed lines: the profile's warning and error limits";
/// Legend of the loudness plot's target band.
pub const TARGET_BAND: &str = "shaded: the print master's target and tolerance (full programme)";

/// The season page's title, after the show's.
pub const SEASON_TITLE: &str = "season delivery";

/// The season page's columns.
pub const SEASON_COLUMNS: [&str; 7] = [
    "Episode",
    "Result",
    "Warnings",
    "Errors",
    "Read back",
    "Delivery (its report)",
    "Note",
];

/// The heading of the checks across episodes.
pub const SEASON_CROSS: &str = "Across episodes";

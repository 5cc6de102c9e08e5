//! The `<root>.sha256` list: one `<sha256>  <path>` line per delivered file
//! (GNU coreutils format, paths relative to the delivery root, so
//! `sha256sum -c <root>.sha256` run in the root checks them), then a last
//! line for `<root>.yaml` itself so an edited manifest is caught too; its
//! reader; and [`manifest_digest_check`], which compares a manifest's bytes
//! with that last line.

use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::Manifest;
use super::yaml::read_limited;
use crate::hash::hex;

/// The `.sha256` list of a manifest: every file, then `<root>.yaml` with the
/// SHA-256 of `yaml` (the exact text written as the manifest).
pub fn sha256_list(m: &Manifest, yaml: &str) -> String {
    let mut out = String::new();
    for f in &m.files {
        push_line(&mut out, &f.sha256, &f.path);
    }
    let digest = hex(&Sha256::digest(yaml.as_bytes()));
    push_line(&mut out, &digest, &format!("{}.yaml", m.delivery.root));
    out
}

/// One line; names holding `\`, LF or CR use GNU's escaped form (a leading `\`).
fn push_line(out: &mut String, digest: &str, path: &str) {
    if path.contains(['\\', '\n', '\r']) {
        let escaped = path
            .replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\r', "\\r");
        let _ = writeln!(out, "\\{digest}  {escaped}");
    } else {
        let _ = writeln!(out, "{digest}  {path}");
    }
}

/// Parses a `sha256sum` list into (digest, path) pairs. Accepts the text
/// (`  `) and binary (` *`) separators and GNU's escaped lines; skips blank
/// lines; an unreadable line is an error naming its number.
pub fn parse_sha256_list(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (escaped, rest) = match line.strip_prefix('\\') {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let bad = || format!("line {}: not `<sha256>  <path>`", i + 1);
        let digest = rest.get(..64).ok_or_else(bad)?;
        if !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let sep = rest.get(64..66).ok_or_else(bad)?;
        if sep != "  " && sep != " *" {
            return Err(bad());
        }
        let raw = rest.get(66..).ok_or_else(bad)?;
        if raw.is_empty() {
            return Err(bad());
        }
        let path = if escaped {
            unescape(raw).ok_or_else(bad)?
        } else {
            raw.to_string()
        };
        entries.push((digest.to_ascii_lowercase(), path));
    }
    Ok(entries)
}

fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                '\\' => out.push('\\'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// The outcome of [`manifest_digest_check`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DigestCheck {
    /// The manifest's bytes match the digest recorded in `<root>.sha256`.
    Verified {
        /// The manifest's SHA-256.
        sha256: String,
    },
    /// The manifest changed after it was written.
    Edited {
        /// The digest recorded in `<root>.sha256`.
        expected: String,
        /// The digest of the manifest now.
        actual: String,
    },
    /// No digest of the manifest is recorded, so an edit cannot be ruled out.
    NotRecorded {
        /// Why (no `.sha256` file, or no line for the manifest).
        reason: String,
    },
}

/// Compares the manifest at `yaml_path` with the line for it in the
/// `.sha256` list beside it (same stem). Errors only when the manifest or an
/// existing list cannot be read.
pub fn manifest_digest_check(yaml_path: &Path) -> crate::Result<DigestCheck> {
    let list_path = yaml_path.with_extension("sha256");
    let name = yaml_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let yaml = read_limited(yaml_path)?;
    let actual = hex(&Sha256::digest(yaml.as_bytes()));
    if !list_path.is_file() {
        return Ok(DigestCheck::NotRecorded {
            reason: format!("no {} beside the manifest", display_name(&list_path)),
        });
    }
    let list = read_limited(&list_path)?;
    let entries = parse_sha256_list(&list).map_err(|message| crate::Error::Manifest {
        path: list_path.clone(),
        message,
    })?;
    let Some((expected, _)) = entries.into_iter().rev().find(|(_, p)| *p == name) else {
        return Ok(DigestCheck::NotRecorded {
            reason: format!("{} has no line for {name}", display_name(&list_path)),
        });
    };
    Ok(if expected == actual {
        DigestCheck::Verified { sha256: actual }
    } else {
        DigestCheck::Edited { expected, actual }
    })
}

fn display_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_lines_round_trip() {
        let mut out = String::new();
        let d = "a".repeat(64);
        push_line(&mut out, &d, "MnE/we\\ird\nname");
        push_line(&mut out, &d, "MnE/plain.wav");
        assert!(out.starts_with('\\'));
        let back = parse_sha256_list(&out).unwrap();
        assert_eq!(back[0].1, "MnE/we\\ird\nname");
        assert_eq!(back[1].1, "MnE/plain.wav");
    }

    #[test]
    fn malformed_lines_name_their_number() {
        let d = "b".repeat(64);
        let text = format!("{d}  ok.wav\n\nnot a line\n");
        let err = parse_sha256_list(&text).unwrap_err();
        assert!(err.starts_with("line 3"), "{err}");
        assert!(parse_sha256_list(&format!("{d}x ok")).is_err());
        assert!(parse_sha256_list(&format!("{}  a", "é".repeat(40))).is_err());
        assert_eq!(
            parse_sha256_list(&format!("{d} *bin.wav")).unwrap()[0].1,
            "bin.wav"
        );
    }
}

//! The manifest as YAML: [`to_yaml`] (serde value -> the quoting emitter of
//! `emit.rs`, so YAML 1.1 readers such as PyYAML keep timecodes, dates, hex
//! masks and codes as strings) and a guarded reader: size limit before
//! parsing, schema check (a newer schema is refused by name), unknown and
//! missing fields reported with their line, and a validation of paths and
//! digests.

use std::path::Path;

use serde_yaml::Value;

use super::emit::emit_document;
use super::{Manifest, SCHEMA};

/// The largest manifest [`from_yaml`] and [`read_manifest`] accept (64 MiB).
pub const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;

/// Why a manifest text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// Bigger than [`MAX_MANIFEST_BYTES`]; not parsed at all.
    #[error("manifest is {bytes} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// Its size.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// Written by a newer mnepack with a schema this version does not know.
    #[error("written by a newer mnepack (schema {found}); this mnepack reads {SCHEMA}")]
    NewerSchema {
        /// The schema found.
        found: String,
    },
    /// Not a mnepack manifest at all.
    #[error("not a mnepack manifest: {0}")]
    NotAManifest(String),
    /// The YAML cannot be parsed (the text names line and column).
    #[error("YAML syntax: {0}")]
    Syntax(String),
    /// Parsed, but a field is unknown, missing, of the wrong type or invalid.
    #[error("invalid manifest: {0}")]
    Invalid(String),
}

/// The manifest as YAML text (every string double-quoted).
pub fn to_yaml(m: &Manifest) -> Result<String, ManifestError> {
    let value = serde_yaml::to_value(m).map_err(|e| ManifestError::Invalid(e.to_string()))?;
    let header = format!(
        "mnepack delivery manifest ({SCHEMA}). Do not edit: {}.sha256 records its SHA-256.",
        m.delivery.root
    );
    Ok(emit_document(&header, &value))
}

/// Parses and validates a manifest. Refuses text over [`MAX_MANIFEST_BYTES`]
/// before parsing, a newer schema by name, unknown or missing fields with
/// their line, unsafe paths and malformed digests.
pub fn from_yaml(text: &str) -> Result<Manifest, ManifestError> {
    let bytes = text.len() as u64;
    if bytes > MAX_MANIFEST_BYTES {
        return Err(ManifestError::TooLarge {
            bytes,
            limit: MAX_MANIFEST_BYTES,
        });
    }
    crate::yaml_walk::check(text).map_err(ManifestError::Syntax)?;
    let value: Value =
        serde_yaml::from_str(text).map_err(|e| ManifestError::Syntax(e.to_string()))?;
    check_schema(&value)?;
    let m: Manifest =
        serde_yaml::from_str(text).map_err(|e| ManifestError::Invalid(e.to_string()))?;
    validate(&m)?;
    Ok(m)
}

/// Reads and parses the manifest at `path` (size checked before reading).
pub fn read_manifest(path: &Path) -> crate::Result<Manifest> {
    let text = read_limited(path)?;
    from_yaml(&text).map_err(|e| crate::Error::Manifest {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Reads a manifest-sized text file: refuses more than [`MAX_MANIFEST_BYTES`]
/// (checked on the metadata and again while reading) and non-UTF-8 text.
pub(crate) fn read_limited(path: &Path) -> crate::Result<String> {
    use crate::input::InputError;
    crate::input::read_text(path, MAX_MANIFEST_BYTES).map_err(|e| match e {
        InputError::Open(e) => crate::Error::io("cannot open", path, e),
        InputError::Read(e) => crate::Error::io("cannot read", path, e),
        InputError::TooLarge { bytes, limit } => crate::Error::Manifest {
            path: path.to_path_buf(),
            message: ManifestError::TooLarge { bytes, limit }.to_string(),
        },
        other => crate::Error::Manifest {
            path: path.to_path_buf(),
            message: other.to_string(),
        },
    })
}

fn check_schema(value: &Value) -> Result<(), ManifestError> {
    let Value::Mapping(map) = value else {
        return Err(ManifestError::NotAManifest(
            "the document is not a mapping of fields".into(),
        ));
    };
    let Some(schema) = map.get("schema") else {
        return Err(ManifestError::NotAManifest("no `schema` field".into()));
    };
    let Some(schema) = schema.as_str() else {
        return Err(ManifestError::NotAManifest(
            "`schema` is not a string".into(),
        ));
    };
    if schema == SCHEMA {
        return Ok(());
    }
    match schema
        .strip_prefix("mnepack-manifest/")
        .and_then(|v| v.parse::<u32>().ok())
    {
        Some(n) if n > 1 => Err(ManifestError::NewerSchema {
            found: schema.to_string(),
        }),
        _ => Err(ManifestError::NotAManifest(format!(
            "unknown schema {schema:?} (expected {SCHEMA})"
        ))),
    }
}

/// Checks what serde cannot: safe relative paths, unique names, digest forms.
fn validate(m: &Manifest) -> Result<(), ManifestError> {
    let bad = |msg: String| Err(ManifestError::Invalid(msg));
    if !is_safe_name(&m.delivery.root) {
        return bad(format!(
            "delivery.root {:?} is not a plain folder name",
            m.delivery.root
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, f) in m.files.iter().enumerate() {
        let at = format!("files[{i}] ({:?})", f.path);
        if !is_safe_delivery_path(&f.path) {
            return bad(format!(
                "{at}: path must be `<upload folder>/<file name>` relative to the delivery root"
            ));
        }
        if !seen.insert(f.path.to_lowercase()) {
            return bad(format!(
                "{at}: listed twice (names must be unique, ignoring case)"
            ));
        }
        for (name, value, len) in [
            ("sha256", Some(&f.sha256), 64),
            ("xxh64", Some(&f.xxh64), 16),
        ]
        .into_iter()
        .chain([("md5", f.md5.as_ref(), 32)])
        {
            if let Some(v) = value {
                if !is_lower_hex(v, len) {
                    return bad(format!("{at}: {name} must be {len} lowercase hex digits"));
                }
            }
        }
    }
    Ok(())
}

fn is_lower_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A single path component that cannot climb or hide: not empty, not `.`/`..`,
/// no separator, no control character.
pub(crate) fn is_safe_name(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.len() <= 255
        && !s.chars().any(|c| c == '/' || c == '\\' || c.is_control())
}

/// `<folder>/<name>`, both safe names.
pub(crate) fn is_safe_delivery_path(p: &str) -> bool {
    let mut parts = p.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(a), Some(b), None) if is_safe_name(a) && is_safe_name(b)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_be_folder_and_name() {
        assert!(is_safe_delivery_path("MnE/a-b.c_d.wav"));
        for bad in [
            "a.wav",
            "/MnE/a.wav",
            "MnE/../a.wav",
            "../x/a.wav",
            "MnE/sub/a.wav",
            "MnE/",
            "MnE\\a/b",
            "./a.wav",
            "MnE/a\0.wav",
        ] {
            assert!(!is_safe_delivery_path(bad), "{bad:?}");
        }
    }
}

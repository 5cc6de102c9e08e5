//! Profile: naming templates, legal characters, layout tokens, upload
//! folders, hash set, link policy and QC thresholds (spec B2-B4). The
//! `netflix` profile is `config/netflix.yaml`, embedded in the binary; any
//! other profile is a YAML file of the same shape. Unknown keys are errors,
//! and every profile is validated when loaded.

mod qc;

pub use qc::{Qc, Severities, Severity};

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::job::{ProfileRef, Role};
use crate::naming::{Field, NameRules, SAFE_CHARS, Template};
use crate::{Error, Result};

/// The largest profile file accepted (1 MiB; the built-in one is a few KiB).
pub const MAX_PROFILE_BYTES: u64 = 1 << 20;

/// The built-in profiles: (name, YAML text).
pub const BUILTIN: [(&str, &str); 1] = [("netflix", include_str!("../../config/netflix.yaml"))];

/// Asset codes per role (spec B2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assets {
    /// The reference video (`REF`).
    pub reference_video: String,
    /// The M&E (`ME`).
    pub mne: String,
    /// The optional tracks' prefix, followed by their letter (`OPT` -> `OPTA`).
    pub optional: String,
    /// The dialogue guide (`GUIDE`).
    pub dialogue_guide: String,
    /// The print master (`PM`).
    pub print_master: String,
}

/// The naming section of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Naming {
    /// Template of every audio deliverable.
    pub template: Template,
    /// Template of the reference video.
    pub reference_template: Template,
    /// Template of the delivery root folder (fields: title, unit, delivery).
    pub root_template: Template,
    /// Asset code per role.
    pub assets: Assets,
    /// Soundfield token per role (roles not listed get none).
    pub soundfield: BTreeMap<Role, String>,
    /// Description of the reference video (`StageMix`).
    pub reference_desc: String,
    /// Every character a name may hold.
    pub legal_characters: String,
    /// Longest name in bytes.
    pub max_name_bytes: usize,
}

/// One upload folder and the roles it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Folder {
    /// Folder name (one plain name, legal characters only).
    pub name: String,
    /// The roles delivered into it.
    pub roles: Vec<Role>,
}

/// Which digests are written besides SHA-256 (always computed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hashes {
    /// xxHash64.
    pub xxh64: bool,
    /// MD5.
    pub md5: bool,
}

/// How files may get into the delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Links {
    /// A source may be hard-linked instead of copied.
    pub allow_hardlink: bool,
}

/// A delivery profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The profile's name (recorded in manifests).
    pub name: String,
    /// Naming templates and tokens.
    pub naming: Naming,
    /// Layout token by channel count.
    pub layouts: BTreeMap<u16, String>,
    /// Upload folders, in order.
    pub folders: Vec<Folder>,
    /// Digests besides SHA-256.
    pub hashes: Hashes,
    /// Link policy.
    pub links: Links,
    /// QC thresholds.
    pub qc: Qc,
}

fn is_code(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl Profile {
    /// A built-in profile by name (`netflix`).
    pub fn builtin(name: &str) -> Result<Profile> {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            let known: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            Error::Profile {
                name: name.to_string(),
                message: format!(
                    "no built-in profile of that name (built in: {}); give a path to a profile YAML",
                    known.join(", ")
                ),
            }
        })?;
        Profile::from_yaml(text, name)
    }

    /// Reads and validates a profile YAML file; one over
    /// [`MAX_PROFILE_BYTES`] is refused without reading it all.
    pub fn load(path: &Path) -> Result<Profile> {
        use crate::input::InputError;
        let text = crate::input::read_text(path, MAX_PROFILE_BYTES).map_err(|e| match e {
            InputError::Open(e) | InputError::Read(e) => Error::io("cannot read", path, e),
            InputError::TooLarge { .. } => Error::Profile {
                name: path.display().to_string(),
                message: format!("the file is larger than {MAX_PROFILE_BYTES} bytes"),
            },
            other => Error::Profile {
                name: path.display().to_string(),
                message: other.to_string(),
            },
        })?;
        Profile::from_yaml(&text, &path.display().to_string())
    }

    /// The profile a job names.
    pub fn resolve(r: &ProfileRef) -> Result<Profile> {
        match r {
            ProfileRef::Builtin(name) => Profile::builtin(name),
            ProfileRef::File(path) => Profile::load(path),
        }
    }

    /// Parses and validates profile YAML; `name_for_errors` names it in errors.
    pub fn from_yaml(text: &str, name_for_errors: &str) -> Result<Profile> {
        let err = |message: String| Error::Profile {
            name: name_for_errors.to_string(),
            message,
        };
        crate::yaml_walk::check(text).map_err(err)?;
        let p: Profile = serde_yaml::from_str(text).map_err(|e| err(e.to_string()))?;
        let problems = p.problems();
        if problems.is_empty() {
            Ok(p)
        } else {
            Err(err(problems.join("; ")))
        }
    }

    /// The final-name rules of this profile.
    pub fn name_rules(&self) -> NameRules {
        NameRules {
            legal_chars: self.naming.legal_characters.clone(),
            max_bytes: self.naming.max_name_bytes,
        }
    }

    /// The upload folder of `role`.
    pub fn folder_for(&self, role: Role) -> Option<&str> {
        self.folders
            .iter()
            .find(|f| f.roles.contains(&role))
            .map(|f| f.name.as_str())
    }

    /// The layout token for `channels` channels (`6ch`); `<n>ch` when the
    /// profile lists no token for that count.
    pub fn layout_token(&self, channels: u16) -> String {
        self.layouts
            .get(&channels)
            .cloned()
            .unwrap_or_else(|| format!("{channels}ch"))
    }

    /// The asset code of a role (`OPTB` for optional `B`).
    pub fn asset_code(&self, role: Role, letter: Option<char>) -> String {
        let a = &self.naming.assets;
        match role {
            Role::ReferenceVideo => a.reference_video.clone(),
            Role::Mne => a.mne.clone(),
            Role::Optional => {
                let mut s = a.optional.clone();
                s.extend(letter);
                s
            }
            Role::DialogueGuide => a.dialogue_guide.clone(),
            Role::PrintMaster => a.print_master.clone(),
        }
    }

    /// The soundfield token of a role, if any (`Nearfield`).
    pub fn soundfield(&self, role: Role) -> Option<&str> {
        self.naming.soundfield.get(&role).map(String::as_str)
    }

    /// Everything wrong with the profile, one line per problem.
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let n = &self.naming;
        if !is_code(&self.name.replace(['_', '-'], "")) {
            out.push(format!(
                "name: `{}` must be letters, digits, `_` or `-`",
                self.name
            ));
        }
        if n.legal_characters.is_empty()
            || n.legal_characters.chars().any(|c| !SAFE_CHARS.contains(c))
        {
            out.push(format!(
                "naming.legal_characters: must be a non-empty subset of `{SAFE_CHARS}`"
            ));
        }
        if !(1..=255).contains(&n.max_name_bytes) {
            out.push("naming.max_name_bytes: must be 1..=255".to_string());
        }
        naming_template_problems(n, &mut out);
        naming_code_problems(n, &mut out);
        for (count, token) in &self.layouts {
            if *count == 0 || !is_code(token) {
                out.push(format!(
                    "layouts.{count}: `{token}` must be letters and digits, for a count above 0"
                ));
            }
        }
        self.folder_problems(&mut out);
        out.extend(self.qc.problems());
        out
    }

    /// Every folder a plain name, listed once; every role in exactly one.
    fn folder_problems(&self, out: &mut Vec<String>) {
        let rules = self.name_rules();
        let mut seen: Vec<String> = Vec::new();
        for f in &self.folders {
            if let Err(e) = rules.check(&f.name) {
                out.push(format!(
                    "folders: `{}` is not a plain folder name: {e}",
                    f.name
                ));
            }
            if seen.contains(&f.name.to_lowercase()) {
                out.push(format!("folders: `{}` is listed twice", f.name));
            }
            seen.push(f.name.to_lowercase());
        }
        for role in Role::ALL {
            let holders = self
                .folders
                .iter()
                .filter(|f| f.roles.contains(&role))
                .count();
            if holders != 1 {
                out.push(format!(
                    "folders: role {role} must be in exactly one folder (it is in {holders})"
                ));
            }
        }
    }
}

/// The naming templates: the fields each must and must not use.
fn naming_template_problems(n: &Naming, out: &mut Vec<String>) {
    for (key, t) in [
        ("template", &n.template),
        ("reference_template", &n.reference_template),
    ] {
        for f in [Field::Version, Field::Ext] {
            if !t.uses(f) {
                out.push(format!("naming.{key}: must use {{{}}}", f.name()));
            }
        }
        if t.uses(Field::Delivery) {
            out.push(format!(
                "naming.{key}: {{delivery}} is only for root_template"
            ));
        }
    }
    if !n.template.uses(Field::Channel) {
        out.push("naming.template: must use {channel} (one file per channel)".to_string());
    }
    let root_fields = [Field::Title, Field::Unit, Field::Delivery];
    if !n.root_template.uses(Field::Delivery)
        || n.root_template
            .fields()
            .iter()
            .any(|f| !root_fields.contains(f))
    {
        out.push(
            "naming.root_template: must use {delivery} and only {title}, {unit}, {delivery}"
                .to_string(),
        );
    }
}

/// The asset codes, soundfield tokens and reference description: codes.
fn naming_code_problems(n: &Naming, out: &mut Vec<String>) {
    let a = &n.assets;
    for (key, code) in [
        ("reference_video", &a.reference_video),
        ("mne", &a.mne),
        ("optional", &a.optional),
        ("dialogue_guide", &a.dialogue_guide),
        ("print_master", &a.print_master),
    ] {
        if !is_code(code) {
            out.push(format!(
                "naming.assets.{key}: `{code}` must be letters and digits"
            ));
        }
    }
    for (role, s) in &n.soundfield {
        if !is_code(s) {
            out.push(format!(
                "naming.soundfield.{role}: `{s}` must be letters and digits"
            ));
        }
    }
    if !is_code(&n.reference_desc) {
        out.push("naming.reference_desc: must be letters and digits".to_string());
    }
}

#[cfg(test)]
mod tests;

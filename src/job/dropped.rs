//! The job's `dropped` list: roles delivered before that a redelivery leaves
//! out on purpose (issue 5). Written as role names, an optional track with
//! its letter and, when several tracks share the letter, its description:
//! `dropped: [optional B, optional C WallaSpanish, dialogue_guide]`
//! (`optional B` alone covers every track of letter B). The reference video
//! goes with every delivery (spec A1) and cannot be dropped. Validation
//! happens inside the serde visitors, so errors keep their key path and line.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::fields::Role;
use super::source::{StrVisitor, desc_key, optional_letter};
use crate::naming::camel_case;

/// A role a redelivery leaves out on purpose: a role, and the letter (and
/// perhaps the description) of an optional track.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DroppedRole {
    /// The role (never the reference video).
    pub role: Role,
    /// The optional track's letter (`Some` exactly for [`Role::Optional`]).
    pub letter: Option<char>,
    /// The optional track's description, when one track of the letter is
    /// meant; `None` covers every track of the letter.
    pub desc: Option<String>,
}

impl DroppedRole {
    /// Parses `mne`, `dialogue_guide`, `print_master`, `optional B` or
    /// `optional B Walla Spanish` (role case-insensitive; `optional_b` is
    /// accepted too).
    pub fn parse(text: &str) -> Result<DroppedRole, String> {
        let t = text.trim();
        let (word, rest) = match t.split_once([' ', '_']) {
            Some((w, r)) if w.eq_ignore_ascii_case("optional") => (w, Some(r.trim())),
            _ => (t, None),
        };
        let role = Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(word))
            .ok_or_else(|| {
                format!(
                    "`{text}` is not a role; use mne, dialogue_guide, print_master or `optional A`..`optional Z`"
                )
            })?;
        match (role, rest) {
            (Role::ReferenceVideo, _) => Err(
                "the reference video goes with every delivery (spec A1) and cannot be dropped"
                    .to_string(),
            ),
            (Role::Optional, None) => Err(format!(
                "`{text}`: name the optional track's letter (`optional B`)"
            )),
            (Role::Optional, Some(rest)) => {
                let (l, desc) = rest
                    .split_once([' ', '_'])
                    .map_or((rest, None), |(l, d)| (l, Some(d.trim())));
                let letter = optional_letter(l).map_err(|e| format!("`{text}`: {e}"))?;
                let desc = match desc {
                    Some(d) if camel_case(d).is_empty() => {
                        return Err(format!(
                            "`{text}`: `{d}` has no letter or digit to name the track with"
                        ));
                    }
                    other => other.map(str::to_string),
                };
                Ok(DroppedRole {
                    role,
                    letter: Some(letter),
                    desc,
                })
            }
            (_, _) => Ok(DroppedRole {
                role,
                letter: None,
                desc: None,
            }),
        }
    }

    /// True when this names the track of `role` with `letter` and `desc`
    /// (an optional named by its letter alone covers every description).
    pub fn covers(&self, role: Role, letter: Option<char>, desc: Option<&str>) -> bool {
        self.role == role
            && self.letter == letter
            && match (&self.desc, desc) {
                (None, _) => true,
                (Some(mine), Some(d)) => desc_key(mine) == desc_key(d),
                (Some(_), None) => false,
            }
    }

    /// True when both name the same thing (descriptions compared by
    /// [`desc_key`]).
    fn same(&self, other: &DroppedRole) -> bool {
        self.role == other.role
            && self.letter == other.letter
            && self.desc.as_deref().map(desc_key) == other.desc.as_deref().map(desc_key)
    }
}

impl fmt::Display for DroppedRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.letter, &self.desc) {
            (Some(l), Some(d)) => write!(f, "{} {l} {d}", self.role),
            (Some(l), None) => write!(f, "{} {l}", self.role),
            (None, _) => f.write_str(self.role.as_str()),
        }
    }
}

impl<'de> Deserialize<'de> for DroppedRole {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor {
            expecting: "a role (`dialogue_guide`, `optional B`, `optional B WallaSpanish`)",
            check: DroppedRole::parse,
        })
    }
}

impl Serialize for DroppedRole {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Deserializes the `dropped` list, refusing a role named twice.
pub(crate) fn dropped_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<DroppedRole>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<DroppedRole>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of roles (`[optional B, dialogue_guide]`)")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out: Vec<DroppedRole> = Vec::new();
            while let Some(r) = seq.next_element::<DroppedRole>()? {
                if out.iter().any(|o| o.same(&r)) {
                    return Err(de::Error::custom(format!("`{r}` is listed twice")));
                }
                out.push(r);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(V)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_roles_and_letters() {
        let p = |t: &str| DroppedRole::parse(t);
        assert_eq!(
            p("optional b"),
            Ok(DroppedRole {
                role: Role::Optional,
                letter: Some('B'),
                desc: None,
            })
        );
        assert_eq!(p("OPTIONAL_C").unwrap().letter, Some('C'));
        assert_eq!(
            p(" dialogue_guide ").unwrap(),
            DroppedRole {
                role: Role::DialogueGuide,
                letter: None,
                desc: None,
            }
        );
        assert!(p("optional").unwrap_err().contains("letter"));
        assert_eq!(p("optional F").unwrap().letter, Some('F'));
        assert!(p("optional 5").unwrap_err().contains("not a letter A-Z"));
        assert!(p("optional AB").is_err());
        assert!(
            p("optional B !!")
                .unwrap_err()
                .contains("no letter or digit")
        );
        assert!(p("reference_video").unwrap_err().contains("every delivery"));
        assert!(p("walla").unwrap_err().contains("not a role"));
        assert!(p("mne B").is_err());
        for r in [
            "optional B",
            "optional F Walla Spanish",
            "mne",
            "print_master",
        ] {
            assert_eq!(p(r).unwrap().to_string(), r);
        }
    }

    #[test]
    fn a_letter_alone_covers_every_description_of_it() {
        let p = |t: &str| DroppedRole::parse(t).unwrap();
        let o = Role::Optional;
        let spanish = p("optional B walla spanish");
        assert_eq!(spanish.desc.as_deref(), Some("walla spanish"));
        assert!(spanish.covers(o, Some('B'), Some("WallaSpanish")));
        assert!(!spanish.covers(o, Some('B'), Some("WallaEnglish")));
        assert!(!spanish.covers(o, Some('C'), Some("WallaSpanish")));
        let all_b = p("optional B");
        assert!(all_b.covers(o, Some('B'), Some("WallaEnglish")));
        assert!(all_b.covers(o, Some('B'), None));
        assert!(!all_b.covers(o, Some('A'), None));
        assert!(p("mne").covers(Role::Mne, None, None));
        assert!(spanish.same(&p("optional_b WallaSpanish")));
        assert!(!spanish.same(&all_b));
    }
}

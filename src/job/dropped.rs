//! The job's `dropped` list: roles delivered before that a redelivery leaves
//! out on purpose (issue 5). Written as role names, an optional track with
//! its letter: `dropped: [optional B, dialogue_guide]`. The reference video
//! goes with every delivery (spec A1) and cannot be dropped. Validation
//! happens inside the serde visitors, so errors keep their key path and line.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::fields::Role;
use super::source::StrVisitor;

/// A role a redelivery leaves out on purpose: a role, and the letter of an
/// optional track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DroppedRole {
    /// The role (never the reference video).
    pub role: Role,
    /// The optional track's letter (`Some` exactly for [`Role::Optional`]).
    pub letter: Option<char>,
}

impl DroppedRole {
    /// Parses `mne`, `dialogue_guide`, `print_master` or `optional B`
    /// (role case-insensitive; `optional_b` is accepted too).
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
                    "`{text}` is not a role; use mne, dialogue_guide, print_master or `optional A`..`optional E`"
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
            (Role::Optional, Some(l)) => {
                let mut chars = l.chars();
                match (chars.next(), chars.next()) {
                    (Some(c @ ('A'..='E' | 'a'..='e')), None) => Ok(DroppedRole {
                        role,
                        letter: Some(c.to_ascii_uppercase()),
                    }),
                    _ => Err(format!("`{text}`: `{l}` is not a letter A-E")),
                }
            }
            (_, _) => Ok(DroppedRole { role, letter: None }),
        }
    }

    /// True when this names `role` with `letter`.
    pub fn is(&self, role: Role, letter: Option<char>) -> bool {
        self.role == role && self.letter == letter
    }
}

impl fmt::Display for DroppedRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.letter {
            Some(l) => write!(f, "{} {l}", self.role),
            None => f.write_str(self.role.as_str()),
        }
    }
}

impl<'de> Deserialize<'de> for DroppedRole {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor {
            expecting: "a role (`dialogue_guide`, `optional B`)",
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
                if out.contains(&r) {
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
                letter: Some('B')
            })
        );
        assert_eq!(p("OPTIONAL_C").unwrap().letter, Some('C'));
        assert_eq!(
            p(" dialogue_guide ").unwrap(),
            DroppedRole {
                role: Role::DialogueGuide,
                letter: None
            }
        );
        assert!(p("optional").unwrap_err().contains("letter"));
        assert!(p("optional F").unwrap_err().contains("not a letter"));
        assert!(p("optional AB").is_err());
        assert!(p("reference_video").unwrap_err().contains("every delivery"));
        assert!(p("walla").unwrap_err().contains("not a role"));
        assert!(p("mne B").is_err());
        for r in ["optional B", "mne", "print_master"] {
            assert_eq!(p(r).unwrap().to_string(), r);
        }
    }
}

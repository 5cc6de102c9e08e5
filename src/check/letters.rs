//! The optional-letter note (spec B1): the studio gives letters A-E as
//! examples (A vocalizations and efforts, B group ADR and walla, C foreign
//! dialogue, D archival material, E song vocals), not as a closed list. A
//! track with a letter past E is accepted and named in one note per track,
//! with those meanings, so the sender can tell the studio what it holds.

use super::context::{Audio, Ctx};
use super::finding::{Finding, Rule};
use crate::job::Role;

/// The studio's meanings of the letters A-E, in order.
pub const STUDIO_LETTERS: [(char, &str); 5] = [
    ('A', "vocalizations and efforts"),
    ('B', "group ADR and walla"),
    ('C', "foreign-language dialogue"),
    ('D', "archival material"),
    ('E', "song vocals"),
];

/// The studio's A-E meanings as one phrase (`A vocalizations..., E song vocals`).
fn meanings() -> String {
    let parts: Vec<String> = STUDIO_LETTERS
        .iter()
        .map(|(l, m)| format!("{l} {m}"))
        .collect();
    parts.join(", ")
}

/// The note for an optional track past E; `a` heads its unit.
pub(crate) fn letter_rule(ctx: &Ctx<'_>, a: &Audio<'_>, out: &mut Vec<Finding>) {
    let Some(letter) = a.item.letter.filter(|_| a.item.role == Role::Optional) else {
        return;
    };
    if STUDIO_LETTERS.iter().any(|(l, _)| *l == letter) {
        return;
    }
    out.push(ctx.finding(
        Rule::OptionalLetter,
        a.item,
        format!(
            "{} uses letter {letter}, past the studio's examples ({}); tell the studio what {letter} holds",
            ctx.unit_label(a.item),
            meanings()
        ),
        Some(letter.to_string()),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meanings_read_in_letter_order() {
        let m = meanings();
        assert!(
            m.starts_with("A vocalizations and efforts, B group ADR and walla"),
            "{m}"
        );
        assert!(m.ends_with("D archival material, E song vocals"), "{m}");
    }
}

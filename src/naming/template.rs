//! The naming template: `{field}` placeholders, literal text, and `[...]`
//! optional groups that render only when every field inside has a value.
//! Parsed once ([`Template::parse`]), rendered many times.

use std::fmt;

use super::{NameError, NameRules, SAFE_CHARS};

/// A field a template may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Sanitised title (`chefs_table`).
    Title,
    /// `s02e02`, `r01`, `lp`.
    Unit,
    /// `v01`.
    Version,
    /// `YYYYMMDD`.
    Date,
    /// `ME`, `OPTB`, `GUIDE`, `PM`, `REF`.
    Asset,
    /// `Nearfield`.
    Soundfield,
    /// CamelCase description (`Walla`, `StageMix`).
    Desc,
    /// `mono`, `2ch`, `6ch`...
    Layout,
    /// `48k`.
    Rate,
    /// `24b`.
    Depth,
    /// Timecode-rate token (`23976`).
    Tc,
    /// Channel label of a one-file-per-channel delivery (`L`, `LFE`).
    Channel,
    /// File extension without the dot (`wav`, `mov`).
    Ext,
    /// Delivery number (`01`), for the root folder's template.
    Delivery,
}

/// Every field with its template spelling.
pub const FIELDS: [(Field, &str); 14] = [
    (Field::Title, "title"),
    (Field::Unit, "unit"),
    (Field::Version, "version"),
    (Field::Date, "date"),
    (Field::Asset, "asset"),
    (Field::Soundfield, "soundfield"),
    (Field::Desc, "desc"),
    (Field::Layout, "layout"),
    (Field::Rate, "rate"),
    (Field::Depth, "depth"),
    (Field::Tc, "tc"),
    (Field::Channel, "channel"),
    (Field::Ext, "ext"),
    (Field::Delivery, "delivery"),
];

impl Field {
    /// The field's template spelling (`title`).
    pub fn name(self) -> &'static str {
        FIELDS
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("?", |(_, n)| n)
    }

    /// The field spelled `name`, if any.
    pub fn from_name(name: &str) -> Option<Field> {
        FIELDS.iter().find(|(_, n)| *n == name).map(|(f, _)| *f)
    }
}

/// The values of one name's fields; an empty string means "no value".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    values: [String; FIELDS.len()],
}

impl Fields {
    /// No values.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `field` to `value` (builder style).
    #[must_use]
    pub fn with(mut self, field: Field, value: impl Into<String>) -> Self {
        self.set(field, value);
        self
    }

    /// Sets `field` to `value`.
    pub fn set(&mut self, field: Field, value: impl Into<String>) {
        self.values[field as usize] = value.into();
    }

    /// The value of `field` ("" when unset).
    pub fn get(&self, field: Field) -> &str {
        &self.values[field as usize]
    }
}

/// Why a template text cannot be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("template `{template}`: {message}")]
pub struct TemplateError {
    /// The template text.
    pub template: String,
    /// What is wrong.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Field(Field),
    Group(Vec<Piece>),
}

/// A parsed naming template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    source: String,
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses a template: `{field}` names one of [`FIELDS`], `[ ... ]` is an
    /// optional group (not nested, at least one field), literal text may only
    /// hold [`SAFE_CHARS`].
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let err = |message: String| TemplateError {
            template: text.to_string(),
            message,
        };
        let mut top: Vec<Piece> = Vec::new();
        let mut group: Option<Vec<Piece>> = None;
        let mut chars = text.char_indices();
        while let Some((at, c)) = chars.next() {
            let piece = match c {
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some((_, '}')) => break,
                            Some((_, ch)) => name.push(ch),
                            None => return Err(err(format!("`{{` at byte {at} is never closed"))),
                        }
                    }
                    let field = Field::from_name(&name).ok_or_else(|| {
                        let known: Vec<&str> = FIELDS.iter().map(|(_, n)| *n).collect();
                        err(format!(
                            "unknown field `{{{name}}}`; known fields: {}",
                            known.join(", ")
                        ))
                    })?;
                    Piece::Field(field)
                }
                '}' => return Err(err(format!("`}}` at byte {at} has no `{{`"))),
                '[' => {
                    if group.is_some() {
                        return Err(err(format!("`[` at byte {at}: groups cannot nest")));
                    }
                    group = Some(Vec::new());
                    continue;
                }
                ']' => {
                    let g = group
                        .take()
                        .ok_or_else(|| err(format!("`]` at byte {at} has no `[`")))?;
                    if !g.iter().any(|p| matches!(p, Piece::Field(_))) {
                        return Err(err(format!("the group ending at byte {at} has no field")));
                    }
                    Piece::Group(g)
                }
                c if SAFE_CHARS.contains(c) => Piece::Text(c.to_string()),
                c => return Err(err(format!("illegal literal character {c:?} at byte {at}"))),
            };
            let target = group.as_mut().unwrap_or(&mut top);
            match (target.last_mut(), piece) {
                (Some(Piece::Text(t)), Piece::Text(s)) => t.push_str(&s),
                (_, p) => target.push(p),
            }
        }
        if group.is_some() {
            return Err(err("a `[` group is never closed".to_string()));
        }
        if top.is_empty() {
            return Err(err("the template is empty".to_string()));
        }
        Ok(Template {
            source: text.to_string(),
            pieces: top,
        })
    }

    /// The template text as parsed.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// True when the template names `field` anywhere.
    pub fn uses(&self, field: Field) -> bool {
        fn any(pieces: &[Piece], field: Field) -> bool {
            pieces.iter().any(|p| match p {
                Piece::Field(f) => *f == field,
                Piece::Group(g) => any(g, field),
                Piece::Text(_) => false,
            })
        }
        any(&self.pieces, field)
    }

    /// Renders with the default [`NameRules`] (the safe characters, 255 bytes).
    pub fn render(&self, fields: &Fields) -> Result<String, NameError> {
        self.render_with(fields, &NameRules::default())
    }

    /// Renders and checks the whole name against `rules`. A field outside a
    /// group must have a value; a group renders only when all its fields do.
    pub fn render_with(&self, fields: &Fields, rules: &NameRules) -> Result<String, NameError> {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Field(f) => {
                    let v = fields.get(*f);
                    if v.is_empty() {
                        return Err(NameError::MissingField(f.name()));
                    }
                    out.push_str(v);
                }
                Piece::Group(g) => {
                    let full = g.iter().all(|q| match q {
                        Piece::Field(f) => !fields.get(*f).is_empty(),
                        _ => true,
                    });
                    if full {
                        for q in g {
                            match q {
                                Piece::Text(t) => out.push_str(t),
                                Piece::Field(f) => out.push_str(fields.get(*f)),
                                Piece::Group(_) => {}
                            }
                        }
                    }
                }
            }
        }
        rules.check(&out)?;
        Ok(out)
    }
}

impl Template {
    /// Every field the template names, in order of first use.
    pub fn fields(&self) -> Vec<Field> {
        fn walk(pieces: &[Piece], out: &mut Vec<Field>) {
            for p in pieces {
                match p {
                    Piece::Field(f) if !out.contains(f) => out.push(*f),
                    Piece::Group(g) => walk(g, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.pieces, &mut out);
        out
    }
}

impl<'de> serde::Deserialize<'de> for Template {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Template;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a naming template")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Template, E> {
                Template::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

impl serde::Serialize for Template {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B2: &str = "{title}_{unit}_{version}_{date}_{asset}[_{soundfield}][_{desc}]_{layout}_{rate}_{depth}_{tc}[.{channel}].{ext}";

    fn me_fields() -> Fields {
        Fields::new()
            .with(Field::Title, "chefs_table")
            .with(Field::Unit, "s02e02")
            .with(Field::Version, "v01")
            .with(Field::Date, "20261125")
            .with(Field::Asset, "ME")
            .with(Field::Soundfield, "Nearfield")
            .with(Field::Layout, "6ch")
            .with(Field::Rate, "48k")
            .with(Field::Depth, "24b")
            .with(Field::Tc, "23976")
            .with(Field::Ext, "wav")
    }

    #[test]
    fn renders_groups_only_when_full() {
        let t = Template::parse(B2).unwrap();
        assert_eq!(
            t.render(&me_fields()).unwrap(),
            "chefs_table_s02e02_v01_20261125_ME_Nearfield_6ch_48k_24b_23976.wav"
        );
        let f = me_fields()
            .with(Field::Channel, "LFE")
            .with(Field::Desc, "Walla");
        assert_eq!(
            t.render(&f).unwrap(),
            "chefs_table_s02e02_v01_20261125_ME_Nearfield_Walla_6ch_48k_24b_23976.LFE.wav"
        );
        assert!(t.uses(Field::Channel));
        assert!(!t.uses(Field::Delivery));
        assert_eq!(t.as_str(), B2);
    }

    #[test]
    fn missing_required_field_is_an_error() {
        let t = Template::parse(B2).unwrap();
        let f = me_fields().with(Field::Tc, "");
        assert_eq!(t.render(&f), Err(NameError::MissingField("tc")));
    }

    #[test]
    fn hostile_values_are_caught_by_the_final_check() {
        let t = Template::parse(B2).unwrap();
        for bad in ["../x", "a/b", "a b", "a\0", "é"] {
            let f = me_fields().with(Field::Desc, bad);
            assert!(t.render(&f).is_err(), "{bad:?} rendered");
        }
    }

    #[test]
    fn parse_errors() {
        for (bad, needle) in [
            ("{title", "never closed"),
            ("title}", "has no `{`"),
            ("{nope}", "unknown field `{nope}`"),
            ("[[{title}]]", "cannot nest"),
            ("{title}]", "has no `[`"),
            ("[{title}", "never closed"),
            ("[_x]{title}", "has no field"),
            ("{title} {unit}", "illegal literal"),
            ("{title}/{unit}", "illegal literal"),
            ("", "empty"),
        ] {
            let e = Template::parse(bad).unwrap_err();
            assert!(e.to_string().contains(needle), "{bad}: {e}");
        }
    }

    #[test]
    fn field_names_round_trip() {
        for (f, n) in FIELDS {
            assert_eq!(Field::from_name(n), Some(f));
            assert_eq!(f.name(), n);
        }
    }
}

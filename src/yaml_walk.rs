//! A first walk over every value of a YAML document, aliases followed,
//! before it is read into a type: a document that expands to far more
//! values than its text could hold (an alias bomb, "billion laughs") is
//! refused with the limit named, wherever the aliases sit, in time and
//! memory bounded by the limit. Used for job files, profiles, manifests and
//! key maps. (The parser's own guard counts alias jumps, not the values
//! they bring, and a typed read follows only the fields it accepts.)
//! Before that, a scan of the text refuses flow nesting (`[[[[`, `{a: {a:`)
//! deeper than the reader accepts: the parser's time grows with the square
//! of that depth (100,000 levels took 28 s), so it must not see it.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

/// Values allowed beyond one per byte of text: a document without aliases
/// has fewer values than bytes, so only repetition by alias can reach it.
pub const SLACK: u64 = 10_000;

/// The most values a document of `bytes` may expand to.
pub fn limit_for(bytes: usize) -> u64 {
    bytes as u64 + SLACK
}

/// The deepest flow nesting (`[` and `{`) accepted: the typed read's own
/// recursion limit, so nothing it would accept is refused here.
pub const MAX_FLOW_DEPTH: usize = 128;

/// Walks `text` (one YAML document) through every alias; refuses one of
/// more than [`limit_for`] values, and nesting deeper than the parser's
/// own limit. Syntax errors are left to the typed read that follows.
pub fn check(text: &str) -> Result<(), String> {
    flow_depth(text)?;
    let limit = limit_for(text.len());
    let left = Cell::new(limit);
    let walk = Walk { left: &left, limit };
    match walk.deserialize(serde_yaml::Deserializer::from_str(text)) {
        Err(e) if left.get() == 0 => Err(e.to_string()),
        Err(e) if e.to_string().contains("recursion limit") => Err(e.to_string()),
        _ => Ok(()),
    }
}

/// Refuses `text` where its flow collections nest more than
/// [`MAX_FLOW_DEPTH`] deep, naming the line; one pass, no allocation.
/// Brackets inside comments and quoted scalars are not counted; a quote
/// opens a scalar only where a token may start (so `Don't` stays plain).
fn flow_depth(text: &str) -> Result<(), String> {
    let (mut depth, mut line) = (0usize, 1usize);
    let mut quote: Option<u8> = None;
    let mut comment = false;
    let mut prev = b'\n';
    let mut escaped = false;
    for &b in text.as_bytes() {
        if b == b'\n' {
            line += 1;
            comment = false;
        }
        match quote {
            _ if comment => {}
            Some(b'"') if escaped => escaped = false,
            Some(b'"') if b == b'\\' => escaped = true,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'#' if prev.is_ascii_whitespace() => comment = true,
                b'"' | b'\'' if at_token_start(prev) => quote = Some(b),
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Err(format!(
                            "line {line}: the YAML is nested more than {MAX_FLOW_DEPTH} \
                             levels deep ([ or {{); refused before it is parsed"
                        ));
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        prev = b;
    }
    Ok(())
}

/// Whether a quote after `prev` starts a quoted scalar.
fn at_token_start(prev: u8) -> bool {
    prev.is_ascii_whitespace() || matches!(prev, b'[' | b'{' | b',' | b':' | b'-' | b'?')
}

/// The message of a document over the limit.
fn too_many(limit: u64) -> String {
    format!(
        "the YAML expands to more than {limit} values through its aliases (the limit for a \
         text of this size); an alias bomb is refused"
    )
}

#[derive(Clone, Copy)]
struct Walk<'a> {
    left: &'a Cell<u64>,
    limit: u64,
}

impl Walk<'_> {
    fn tick<E: de::Error>(self) -> Result<(), E> {
        match self.left.get() {
            0 => Err(E::custom(too_many(self.limit))),
            n => {
                self.left.set(n - 1);
                Ok(())
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.tick()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.tick()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.tick()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.tick()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.tick()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.tick()
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.tick()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.tick()?;
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.tick()?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.tick()?;
        while map.next_key_seed(self)?.is_some() {
            map.next_value_seed(self)?;
        }
        Ok(())
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag value`): its tag, then its value.
        self.tick()?;
        let ((), variant) = data.variant_seed(self)?;
        variant.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    /// Nine levels of nine aliases: 9^9 strings if expanded.
    fn bomb() -> String {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..=9 {
            let p = i - 1;
            let _ = writeln!(
                text,
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]"
            );
        }
        text
    }

    #[test]
    fn a_bomb_is_refused_naming_the_limit() {
        let text = bomb();
        let e = check(&text).unwrap_err();
        assert!(e.contains(&limit_for(text.len()).to_string()), "{e}");
        assert!(e.contains("alias"), "{e}");
    }

    #[test]
    fn ordinary_documents_and_modest_aliases_pass() {
        assert_eq!(check("a: 1\nb: [x, y, {c: d}]\n"), Ok(()));
        assert_eq!(check("a: &x [1, 2, 3]\nb: *x\nc: *x\n"), Ok(()));
        // A syntax error is the typed read's to report.
        assert_eq!(check("a: [\n"), Ok(()));
        assert_eq!(check(""), Ok(()));
    }

    #[test]
    fn deep_nesting_is_refused_at_once_naming_the_line() {
        for text in [
            format!("a: 1\nb: {}{}", "[".repeat(100_000), "]".repeat(100_000)),
            format!("a: 1\nb: {}", "{a: ".repeat(50_000)),
        ] {
            let t = std::time::Instant::now();
            let e = check(&text).unwrap_err();
            assert!(t.elapsed().as_secs_f64() < 0.5, "{:?}", t.elapsed());
            assert!(e.starts_with("line 2: "), "{e}");
            assert!(
                e.contains(&format!("more than {MAX_FLOW_DEPTH} levels")),
                "{e}"
            );
        }
    }

    #[test]
    fn nesting_at_the_limit_passes_the_scan_and_one_more_does_not() {
        let at = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(flow_depth(&at(MAX_FLOW_DEPTH)), Ok(()));
        assert!(flow_depth(&at(MAX_FLOW_DEPTH + 1)).is_err());
        // Sibling collections do not add up; only open ones count.
        assert_eq!(flow_depth(&"[a] ".repeat(10_000)), Ok(()));
    }

    #[test]
    fn brackets_in_quotes_and_comments_are_not_nesting() {
        let many = "[".repeat(MAX_FLOW_DEPTH + 1);
        for text in [
            format!("title: \"{many}\"\n"),
            format!("title: '{many}'\n"),
            format!("title: \"a \\\" {many}\"\n"),
            format!("a: 1 # {many}\n"),
            format!("# {many}\n"),
        ] {
            assert_eq!(flow_depth(&text), Ok(()), "{text}");
        }
        // An apostrophe inside a plain scalar opens nothing.
        let text = format!("title: Don't {many}\n");
        assert!(flow_depth(&text).is_err());
    }

    #[test]
    fn block_nesting_is_left_to_the_parser_limit() {
        // `- - - x` nests without brackets: fast to parse, refused by depth.
        let text = format!("{}x\n", "- ".repeat(1000));
        assert_eq!(flow_depth(&text), Ok(()));
        let e = check(&text).unwrap_err();
        assert!(e.contains("recursion limit"), "{e}");
    }
}

//! A small YAML emitter for the manifest: block style, every string
//! double-quoted (valid YAML 1.1 and 1.2, so PyYAML and friends never turn a
//! timecode, a date, a hex mask or `NO` into a number, a date or a boolean),
//! floats always with a dot, sequences of scalars in flow style.

use std::fmt::Write as _;

use serde_yaml::Value;

/// `value` as a YAML document, preceded by `# header` (line breaks in the
/// header become spaces).
pub(crate) fn emit_document(header: &str, value: &Value) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}", header.replace(['\n', '\r'], " "));
    match value {
        Value::Mapping(map) if !map.is_empty() => emit_mapping(&mut out, map, 0, false),
        other => {
            out.push_str(&flow(other));
            out.push('\n');
        }
    }
    out
}

fn emit_mapping(out: &mut String, map: &serde_yaml::Mapping, indent: usize, first_inline: bool) {
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 || !first_inline {
            push_indent(out, indent);
        }
        out.push_str(&key_text(k));
        out.push(':');
        emit_child(out, v, indent);
    }
}

/// Writes a mapping value or sequence item after its `key:` or `-`.
fn emit_child(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Mapping(m) if !m.is_empty() => {
            out.push('\n');
            emit_mapping(out, m, indent + 2, false);
        }
        Value::Sequence(s) if !s.is_empty() && !s.iter().all(is_scalar) => {
            out.push('\n');
            for item in s {
                push_indent(out, indent + 2);
                out.push('-');
                match item {
                    Value::Mapping(m) if !m.is_empty() => {
                        out.push(' ');
                        emit_mapping(out, m, indent + 4, true);
                    }
                    other => {
                        out.push(' ');
                        out.push_str(&flow(other));
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            out.push(' ');
            out.push_str(&flow(other));
            out.push('\n');
        }
    }
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Mapping(_) | Value::Sequence(_) | Value::Tagged(_))
}

/// Any value in flow style (one line).
fn flow(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_text(n),
        Value::String(s) => quote(s),
        Value::Sequence(s) => {
            let items: Vec<String> = s.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Mapping(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", key_text(k), flow(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Tagged(t) => {
            let tag = t.tag.to_string();
            let tag = tag.trim_start_matches('!');
            let safe =
                !tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if safe {
                format!("!{tag} {}", flow(&t.value))
            } else {
                flow(&t.value)
            }
        }
    }
}

fn number_text(n: &serde_yaml::Number) -> String {
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    if f.is_nan() {
        ".nan".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        }
    } else {
        // Rust prints the shortest round-trip digits and never an exponent;
        // a dot keeps YAML 1.1 readers from taking it for an integer.
        let s = f.to_string();
        if s.contains('.') { s } else { format!("{s}.0") }
    }
}

fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) if is_plain_key(s) => s.clone(),
        Value::String(s) => quote(s),
        other => quote(&flow(other)),
    }
}

fn is_plain_key(s: &str) -> bool {
    const RESERVED: [&str; 12] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan", "inf",
    ];
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

/// A YAML double-quoted scalar (valid YAML 1.1 and 1.2).
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_back(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn quoted_strings_survive_any_content() {
        for s in [
            "10:00:00:00",
            "NO",
            "2026-11-25",
            "0x60F",
            "a \"b\" \\ c",
            "line\nbreak\ttab\r",
            "\u{1}\u{7f}\u{85}\u{2028}",
            "日本語 é",
            "",
            "- not a list",
            "# not a comment",
        ] {
            let q = quote(s);
            let v = parse_back(&format!("k: {q}\n"));
            assert_eq!(v.get("k").and_then(Value::as_str), Some(s), "{q}");
        }
    }

    #[test]
    fn floats_always_have_a_dot() {
        let n = |f: f64| number_text(&serde_yaml::Number::from(f));
        assert_eq!(
            n(1e300).parse::<f64>().unwrap().to_bits(),
            1e300f64.to_bits()
        );
        assert!(n(1e300).ends_with(".0"));
        assert_eq!(n(-2.4), "-2.4");
        assert_eq!(n(f64::NEG_INFINITY), "-.inf");
        assert_eq!(n(-0.0), "-0.0");
        assert_eq!(n(1e-7).parse::<f64>().unwrap().to_bits(), 1e-7f64.to_bits());
    }

    #[test]
    fn reserved_keys_are_quoted() {
        assert_eq!(key_text(&Value::String("no".into())), "\"no\"");
        assert_eq!(key_text(&Value::String("sha256".into())), "sha256");
        assert_eq!(key_text(&Value::String("a b".into())), "\"a b\"");
    }
}

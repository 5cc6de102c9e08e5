//! The ASC MHL v2.0 packing list (`<root>.mhl`): one `hashlist` with
//! `creatorinfo`, `processinfo` (process `flatten`, the three manifest files
//! ignored) and one `hash` per delivered file, its digests in the order the
//! schema requires (`md5` before `xxh64`). Verifiable with
//! `ascmhl-debug verify -pl ROOT/ROOT.mhl -i '*.mhl' -i '*.yaml' -i '*.sha256' -i '*.html' ROOT`.
//! Text and attributes are escaped by [`xml_escape`].

use std::fmt::Write as _;

use super::{Manifest, manifest_file_names};

/// Who wrote the packing list, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatorInfo {
    /// The machine's host name.
    pub hostname: String,
    /// `mnepack`.
    pub tool_name: String,
    /// The tool's version.
    pub tool_version: String,
    /// XML Schema `dateTime`, e.g. RFC 3339 UTC `2026-11-25T10:00:00Z`; also
    /// each digest's `hashdate`.
    pub creation_date: String,
}

/// The packing list of `m` as XML text.
pub fn mhl_packing_list(m: &Manifest, creator: &CreatorInfo) -> String {
    let date = xml_escape(&creator.creation_date);
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<hashlist version=\"2.0\" xmlns=\"urn:ASC:MHL:v2.0\">\n");
    x.push_str("  <creatorinfo>\n");
    let _ = writeln!(x, "    <creationdate>{date}</creationdate>");
    let _ = writeln!(
        x,
        "    <hostname>{}</hostname>",
        xml_escape(&creator.hostname)
    );
    let _ = writeln!(
        x,
        "    <tool version=\"{}\">{}</tool>",
        xml_escape(&creator.tool_version),
        xml_escape(&creator.tool_name)
    );
    x.push_str("  </creatorinfo>\n");
    x.push_str("  <processinfo>\n");
    x.push_str("    <process>flatten</process>\n");
    x.push_str("    <ignore>\n");
    for name in manifest_file_names(&m.delivery.root) {
        let _ = writeln!(x, "      <pattern>{}</pattern>", xml_escape(&name));
    }
    x.push_str("    </ignore>\n");
    x.push_str("  </processinfo>\n");
    if !m.files.is_empty() {
        x.push_str("  <hashes>\n");
        for f in &m.files {
            x.push_str("    <hash>\n");
            let _ = writeln!(
                x,
                "      <path size=\"{}\">{}</path>",
                f.size,
                xml_escape(&f.path)
            );
            // Schema order: c4, md5, sha1, xxh128, xxh3, xxh64.
            if let Some(md5) = &f.md5 {
                let _ = writeln!(
                    x,
                    "      <md5 action=\"original\" hashdate=\"{date}\">{}</md5>",
                    xml_escape(md5)
                );
            }
            let _ = writeln!(
                x,
                "      <xxh64 action=\"original\" hashdate=\"{date}\">{}</xxh64>",
                xml_escape(&f.xxh64)
            );
            x.push_str("    </hash>\n");
        }
        x.push_str("  </hashes>\n");
    }
    x.push_str("</hashlist>\n");
    x
}

/// Escapes text for XML element content and attribute values: the five
/// markup characters, tab/LF/CR as character references (so parsers do not
/// normalise them away), and characters XML 1.0 forbids as U+FFFD.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                out.push('\u{fffd}');
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            xml_escape("a&b<c>\"d\"'e'"),
            "a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;"
        );
        assert_eq!(xml_escape("x\ty\nz\r"), "x&#9;y&#10;z&#13;");
        assert_eq!(xml_escape("\u{1}\u{ffff}ok é"), "\u{fffd}\u{fffd}ok é");
        assert_eq!(xml_escape("&amp;"), "&amp;amp;");
    }
}

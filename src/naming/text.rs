//! Free text to name fields: the title sanitiser (`Chef's Table: Part II` ->
//! `chefs_table_part_ii`), the CamelCase of descriptions (`group walla` ->
//! `GroupWalla`), and a small Latin transliteration table (`é` -> `e`).
//! Pure functions; their output only ever holds `[a-z0-9_]` (titles) or
//! `[A-Za-z0-9]` (descriptions).

/// Characters dropped without a trace (so `Chef's` becomes `chefs`).
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{00B4}' | '\u{02BC}'
    )
}

/// The ASCII spelling of a Latin letter with a diacritic, or `None`.
///
/// Covers Latin-1 Supplement and the common letters of Latin Extended-A;
/// letters outside the table are dropped by the callers.
pub fn transliterate(c: char) -> Option<&'static str> {
    let s = match c {
        'À'..='Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'à'..='å' | 'ā' | 'ă' | 'ą' | 'ª' => "a",
        'Æ' => "AE",
        'æ' => "ae",
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "C",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'Ð' | 'Ď' | 'Đ' => "D",
        'ð' | 'ď' | 'đ' => "d",
        'È'..='Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'Ĥ' | 'Ħ' => "H",
        'ĥ' | 'ħ' => "h",
        'Ì'..='Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "I",
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'Ĳ' => "IJ",
        'ĳ' => "ij",
        'Ĵ' => "J",
        'ĵ' => "j",
        'Ķ' => "K",
        'ķ' | 'ĸ' => "k",
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "L",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' | 'Ŋ' => "N",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => "n",
        'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => "O",
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'º' => "o",
        'Œ' => "OE",
        'œ' => "oe",
        'Ŕ' | 'Ŗ' | 'Ř' => "R",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'Ś' | 'Ŝ' | 'Ş' | 'Š' => "S",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' => "s",
        'ß' => "ss",
        'Ţ' | 'Ť' | 'Ŧ' => "T",
        'ţ' | 'ť' | 'ŧ' => "t",
        'Þ' => "TH",
        'þ' => "th",
        'Ù'..='Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'Ŵ' => "W",
        'ŵ' => "w",
        'Ý' | 'Ŷ' | 'Ÿ' => "Y",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    };
    Some(s)
}

/// Splits free text into ASCII alphanumeric words: apostrophes vanish,
/// Latin letters with diacritics are transliterated, other letters that
/// have no easy ASCII form are dropped, everything else separates words.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            cur.push(c);
        } else if is_apostrophe(c) {
            // dropped: "Chef's" -> "Chefs"
        } else if let Some(t) = transliterate(c) {
            cur.push_str(t);
        } else if c.is_alphanumeric() {
            // a letter or digit with no easy ASCII form: dropped
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The title field: lower-case ASCII words joined by `_` (spec A2/B2).
///
/// `sanitize_title("Chef's Table: Part II") == "chefs_table_part_ii"`.
/// The result only holds `[a-z0-9_]`, never starts or ends with `_` and never
/// holds `__`; it is empty when the text has no usable letter or digit.
pub fn sanitize_title(text: &str) -> String {
    words(text)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// A description field: the words of `text` with their first letter upper
/// case, joined with nothing (`group walla` -> `GroupWalla`; `StageMix`
/// stays `StageMix`). The result only holds `[A-Za-z0-9]`.
pub fn camel_case(text: &str) -> String {
    let mut out = String::new();
    for w in words(text) {
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(
            sanitize_title("Chef's Table: Part II"),
            "chefs_table_part_ii"
        );
        assert_eq!(
            sanitize_title("Night Train: Part II"),
            "night_train_part_ii"
        );
        assert_eq!(sanitize_title("  Amélie -- à Paris!  "), "amelie_a_paris");
        assert_eq!(sanitize_title("Straße ß"), "strasse_ss");
        assert_eq!(sanitize_title("../../etc/passwd"), "etc_passwd");
        assert_eq!(sanitize_title("東京 Story"), "story");
        assert_eq!(sanitize_title("東京"), "");
        assert_eq!(sanitize_title("a\0b\nc"), "a_b_c");
        assert_eq!(sanitize_title("L’été"), "lete");
    }

    #[test]
    fn camel() {
        assert_eq!(camel_case("group walla"), "GroupWalla");
        assert_eq!(camel_case("StageMix"), "StageMix");
        assert_eq!(
            camel_case("vocalizations & efforts"),
            "VocalizationsEfforts"
        );
        assert_eq!(camel_case("group ADR"), "GroupADR");
        assert_eq!(camel_case("song's vocals"), "SongsVocals");
        assert_eq!(camel_case("../x y"), "XY");
        assert_eq!(camel_case("   "), "");
    }

    #[test]
    fn transliteration_table() {
        assert_eq!(transliterate('é'), Some("e"));
        assert_eq!(transliterate('Ø'), Some("O"));
        assert_eq!(transliterate('ł'), Some("l"));
        assert_eq!(transliterate('×'), None);
        assert_eq!(transliterate('東'), None);
    }
}

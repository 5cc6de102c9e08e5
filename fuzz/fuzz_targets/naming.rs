//! Fuzz target `naming`: arbitrary strings through the title sanitiser, the
//! CamelCase of descriptions, and the default template with raw and
//! sanitised values. Every name that renders matches `^[A-Za-z0-9._-]*$`
//! and holds no `..`.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mnepack::naming::{Field, Fields, Template, camel_case, sanitize_title};
use mnepack::profile::Profile;

fn legal(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        && !s.contains("..")
}

/// The built-in profile, parsed once (parsing it per input would dominate).
fn netflix() -> Option<&'static Profile> {
    static P: OnceLock<Option<Profile>> = OnceLock::new();
    P.get_or_init(|| Profile::builtin("netflix").ok()).as_ref()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let title = sanitize_title(&text);
    assert!(
        title
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    );
    assert!(!title.starts_with('_') && !title.ends_with('_') && !title.contains("__"));
    let desc = camel_case(&text);
    assert!(desc.bytes().all(|b| b.is_ascii_alphanumeric()));
    let Some(profile) = netflix() else {
        return;
    };
    let rules = profile.name_rules();
    let base = |t: &str, d: &str, raw: &str| {
        Fields::new()
            .with(Field::Title, t)
            .with(Field::Unit, raw)
            .with(Field::Version, "v01")
            .with(Field::Date, "20261125")
            .with(Field::Asset, "OPTA")
            .with(Field::Desc, d)
            .with(Field::Layout, "mono")
            .with(Field::Rate, "48k")
            .with(Field::Depth, "24b")
            .with(Field::Tc, "24")
            .with(Field::Channel, raw)
            .with(Field::Ext, "wav")
    };
    for t in [&profile.naming.template, &profile.naming.reference_template] {
        for f in [base(&title, &desc, "lp"), base(&text, &text, &text)] {
            if let Ok(name) = t.render_with(&f, &rules) {
                assert!(legal(&name), "{name:?}");
            }
            if let Ok(name) = t.render(&f) {
                assert!(legal(&name), "{name:?}");
            }
        }
    }
    // The text as a template: whatever parses renders only legal names.
    if let Ok(t) = Template::parse(&text) {
        let all = base(&title, &desc, "lp").with(Field::Delivery, "01");
        if let Ok(name) = t.render(&all) {
            assert!(legal(&name), "{name:?}");
        }
    }
});

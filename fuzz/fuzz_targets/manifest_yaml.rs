//! Fuzz target `manifest_yaml`: any text through the manifest reader. It
//! must return a manifest or a `ManifestError`; a manifest it accepts must
//! write back to YAML that it accepts again.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mnepack::manifest::{from_yaml, to_yaml};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(m) = from_yaml(text) {
        if let Ok(again) = to_yaml(&m) {
            assert!(
                from_yaml(&again).is_ok(),
                "written manifest does not read back"
            );
        }
    }
});

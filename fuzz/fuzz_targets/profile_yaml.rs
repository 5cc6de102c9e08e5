//! Fuzz target `profile_yaml`: any text through the profile loader. A
//! profile it accepts must have legal folder names.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mnepack::profile::Profile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = Profile::from_yaml(text, "fuzz") {
        let rules = p.name_rules();
        for f in &p.folders {
            assert!(rules.check(&f.name).is_ok(), "illegal folder {:?}", f.name);
        }
    }
});

//! The key map as data: every binding of every screen, the embedded
//! default, and overrides read from YAML (`mnepack tui --keys FILE`, else
//! `$XDG_CONFIG_HOME/mnepack/keys.yaml` or `~/.config/mnepack/keys.yaml`).
//! An override file maps action names to key lists and replaces that
//! action's keys: `{quit: [q, ctrl-q], assign_mne: [m, "3"]}`. Keys are
//! spelled `a`, `?`, `enter`, `esc`, `tab`, `backtab`, `backspace`, `delete`,
//! `up`, `down`, `left`, `right`, `pageup`, `pagedown`, `home`, `end`,
//! `space`, `f1`..`f12`, `ctrl-x`.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

/// One key press, independent of the terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// A printable character.
    Char(char),
    /// Control plus a letter.
    Ctrl(char),
    /// Enter / Return.
    Enter,
    /// Escape.
    Esc,
    /// Tab.
    Tab,
    /// Shift-Tab.
    BackTab,
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// Home.
    Home,
    /// End.
    End,
    /// A function key.
    F(u8),
}

const NAMED: [(&str, Key); 15] = [
    ("enter", Key::Enter),
    ("esc", Key::Esc),
    ("tab", Key::Tab),
    ("backtab", Key::BackTab),
    ("backspace", Key::Backspace),
    ("delete", Key::Delete),
    ("up", Key::Up),
    ("down", Key::Down),
    ("left", Key::Left),
    ("right", Key::Right),
    ("pageup", Key::PageUp),
    ("pagedown", Key::PageDown),
    ("home", Key::Home),
    ("end", Key::End),
    ("space", Key::Char(' ')),
];

impl Key {
    /// Parses a key's spelling (see the module docs).
    pub fn parse(text: &str) -> Option<Key> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        if let Some((_, k)) = NAMED.iter().find(|(n, _)| *n == lower) {
            return Some(*k);
        }
        if let Some(c) = lower.strip_prefix("ctrl-") {
            let mut cs = c.chars();
            return match (cs.next(), cs.next()) {
                (Some(c), None) if c.is_ascii_alphabetic() => Some(Key::Ctrl(c)),
                _ => None,
            };
        }
        if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
            return (1..=12).contains(&n).then_some(Key::F(n));
        }
        let mut cs = t.chars();
        match (cs.next(), cs.next()) {
            (Some(c), None) if !c.is_control() => Some(Key::Char(c)),
            _ => None,
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Char(' ') => f.write_str("space"),
            Key::Char(c) => write!(f, "{c}"),
            Key::Ctrl(c) => write!(f, "ctrl-{c}"),
            Key::F(n) => write!(f, "f{n}"),
            other => {
                let name = NAMED
                    .iter()
                    .find(|(_, k)| k == other)
                    .map_or("?", |(n, _)| n);
                f.write_str(name)
            }
        }
    }
}

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Show the keys of this screen.
    Help,
    /// Save the job file.
    Save,
    /// Quit (asks first when work would be lost).
    Quit,
    /// Go to the next step.
    Next,
    /// Go back one step.
    Back,
    /// Move up.
    Up,
    /// Move down.
    Down,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// Edit the selected field or description.
    Edit,
    /// Previous choice (frame rate).
    Prev,
    /// Next choice (frame rate).
    Choose,
    /// Type to filter the file list.
    Filter,
    /// Assign the reference video.
    AssignRef,
    /// Assign the M&E.
    AssignMne,
    /// Assign an optional track (the letter its name or kind gives, else
    /// the next free one).
    AssignOpt,
    /// Move the selected optional track to the previous letter.
    LetterPrev,
    /// Move the selected optional track to the next letter.
    LetterNext,
    /// Assign the dialogue guide.
    AssignGuide,
    /// Assign the print master.
    AssignPm,
    /// Remove the selected file's role.
    Unassign,
    /// Start packing.
    Pack,
    /// Cancel the running pack.
    Cancel,
    /// Answer yes.
    Yes,
    /// Answer no.
    No,
    /// Open an audio file's plots (loudness over time, true peaks).
    Plot,
    /// Close the plots.
    Close,
    /// The previous audio file's plots.
    PrevFile,
    /// The next audio file's plots.
    NextFile,
    /// Write the delivery report again and show where it is.
    Report,
    /// Pack every episode of the season that is ready.
    PackAll,
    /// Open the selected episode in the steps.
    Open,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every screen.
    Global,
    /// A season's episodes.
    Season,
    /// The job form.
    Job,
    /// The source browser.
    Sources,
    /// The review table.
    Review,
    /// The pack progress.
    Pack,
    /// The summary.
    Done,
    /// A yes/no question.
    Confirm,
    /// A list to pick one from (which stage folder).
    Choose,
    /// One audio file's plots (over Review or Done).
    Detail,
}

/// One binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// Where.
    pub scope: Scope,
    /// What.
    pub action: Action,
    /// Which keys.
    pub keys: Vec<Key>,
}

/// Every binding; screen scopes take precedence over global ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMap {
    /// The bindings, in help order.
    pub bindings: Vec<Binding>,
}

const DEFAULT: &[(Scope, Action, &str)] = &[
    (Scope::Season, Action::Up, "up k"),
    (Scope::Season, Action::Down, "down j"),
    (Scope::Season, Action::Open, "enter"),
    (Scope::Season, Action::PackAll, "p"),
    (Scope::Season, Action::Cancel, "c esc"),
    (Scope::Job, Action::Up, "up k"),
    (Scope::Job, Action::Down, "down j"),
    (Scope::Job, Action::Edit, "enter e"),
    (Scope::Job, Action::Prev, "left"),
    (Scope::Job, Action::Choose, "right"),
    (Scope::Sources, Action::Up, "up k"),
    (Scope::Sources, Action::Down, "down j"),
    (Scope::Sources, Action::PageUp, "pageup"),
    (Scope::Sources, Action::PageDown, "pagedown"),
    (Scope::Sources, Action::Filter, "/"),
    (Scope::Sources, Action::AssignRef, "v"),
    (Scope::Sources, Action::AssignMne, "m"),
    (Scope::Sources, Action::AssignOpt, "o"),
    (Scope::Sources, Action::LetterPrev, "["),
    (Scope::Sources, Action::LetterNext, "]"),
    (Scope::Sources, Action::AssignGuide, "g"),
    (Scope::Sources, Action::AssignPm, "p"),
    (Scope::Sources, Action::Unassign, "u delete"),
    (Scope::Review, Action::Up, "up k"),
    (Scope::Review, Action::Down, "down j"),
    (Scope::Review, Action::Edit, "e"),
    (Scope::Review, Action::Pack, "enter"),
    (Scope::Review, Action::Plot, "p"),
    (Scope::Pack, Action::Cancel, "c esc"),
    (Scope::Done, Action::Down, "j down"),
    (Scope::Done, Action::Up, "k up"),
    (Scope::Done, Action::Plot, "p enter"),
    (Scope::Done, Action::Report, "o"),
    (Scope::Detail, Action::Close, "esc p"),
    (Scope::Detail, Action::NextFile, "j down right"),
    (Scope::Detail, Action::PrevFile, "k up left"),
    (Scope::Choose, Action::Up, "up k"),
    (Scope::Choose, Action::Down, "down j"),
    (Scope::Choose, Action::Yes, "enter"),
    (Scope::Choose, Action::No, "esc"),
    (Scope::Confirm, Action::Yes, "y"),
    (Scope::Confirm, Action::No, "n esc"),
    (Scope::Global, Action::Next, "tab"),
    (Scope::Global, Action::Back, "backtab"),
    (Scope::Global, Action::Save, "s"),
    (Scope::Global, Action::Help, "?"),
    (Scope::Global, Action::Quit, "q ctrl-c"),
];

impl Default for KeyMap {
    fn default() -> Self {
        let bindings = DEFAULT
            .iter()
            .map(|(scope, action, keys)| Binding {
                scope: *scope,
                action: *action,
                keys: keys.split(' ').filter_map(Key::parse).collect(),
            })
            .collect();
        KeyMap { bindings }
    }
}

/// Whether the global `action` applies in `scope`: not in a question or
/// a choice, and over the plots only help and quit (the step keys would
/// act on the screen beneath, out of sight); on the season screen only
/// help and quit too (there is no job there to save or step through).
pub fn falls_back(scope: Scope, action: Action) -> bool {
    match scope {
        Scope::Confirm | Scope::Choose => false,
        Scope::Detail | Scope::Season => matches!(action, Action::Help | Action::Quit),
        _ => true,
    }
}

impl KeyMap {
    /// The action of `key` in `scope` (its own bindings first, then the
    /// global ones that apply there: see [`falls_back`]).
    pub fn action(&self, scope: Scope, key: Key) -> Option<Action> {
        let find = |s: Scope| {
            self.bindings
                .iter()
                .find(|b| b.scope == s && b.keys.contains(&key))
                .map(|b| b.action)
        };
        find(scope).or_else(|| find(Scope::Global).filter(|a| falls_back(scope, *a)))
    }

    /// The bindings shown in `scope`'s help, screen keys first (over the
    /// plots, only the global keys that work there).
    pub fn help(&self, scope: Scope) -> Vec<&Binding> {
        let own = self.bindings.iter().filter(|b| b.scope == scope);
        let global = self.bindings.iter().filter(|b| {
            b.scope == Scope::Global
                && (!matches!(scope, Scope::Detail | Scope::Season) || falls_back(scope, b.action))
        });
        own.chain(global).filter(|b| !b.keys.is_empty()).collect()
    }

    /// The first key of `action` in `scope` (or global), for hints.
    pub fn first_key(&self, scope: Scope, action: Action) -> Option<Key> {
        [scope, Scope::Global].iter().find_map(|s| {
            self.bindings
                .iter()
                .find(|b| b.scope == *s && b.action == action)
                .and_then(|b| b.keys.first().copied())
        })
    }

    /// Applies an override file's text: `action: [keys]` replaces that
    /// action's keys wherever it is bound. Unknown actions or keys are errors.
    pub fn with_overrides(mut self, yaml: &str) -> Result<KeyMap, String> {
        crate::yaml_walk::check(yaml).map_err(|e| format!("key map: {e}"))?;
        let map: BTreeMap<Action, Vec<String>> =
            serde_yaml::from_str(yaml).map_err(|e| format!("key map: {e}"))?;
        for (action, spellings) in map {
            let keys = spellings
                .iter()
                .map(|s| Key::parse(s).ok_or_else(|| format!("key map: `{s}` is not a key")))
                .collect::<Result<Vec<_>, _>>()?;
            for b in self.bindings.iter_mut().filter(|b| b.action == action) {
                b.keys.clone_from(&keys);
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_their_spelling() {
        for s in [
            "a", "?", "enter", "esc", "ctrl-c", "f5", "space", "pagedown",
        ] {
            let k = Key::parse(s).unwrap();
            assert_eq!(Key::parse(&k.to_string()), Some(k), "{s}");
        }
        assert_eq!(Key::parse("ctrl-"), None);
        assert_eq!(Key::parse("f13"), None);
        assert_eq!(Key::parse("ab"), None);
    }

    #[test]
    fn screen_keys_win_over_global_ones_and_confirm_has_no_fallback() {
        let km = KeyMap::default();
        assert_eq!(
            km.action(Scope::Sources, Key::Char('m')),
            Some(Action::AssignMne)
        );
        assert_eq!(
            km.action(Scope::Sources, Key::Char('q')),
            Some(Action::Quit)
        );
        assert_eq!(km.action(Scope::Confirm, Key::Char('q')), None);
        // Over the plots only help and quit fall back: Tab would act on
        // the screen beneath.
        assert_eq!(km.action(Scope::Detail, Key::Tab), None);
        assert_eq!(km.action(Scope::Detail, Key::Char('q')), Some(Action::Quit));
        assert_eq!(km.action(Scope::Detail, Key::Esc), Some(Action::Close));
        assert_eq!(km.action(Scope::Done, Key::Char('o')), Some(Action::Report));
        assert_eq!(
            km.action(Scope::Sources, Key::Char('o')),
            Some(Action::AssignOpt)
        );
        assert_eq!(km.action(Scope::Pack, Key::Esc), Some(Action::Cancel));
    }

    #[test]
    fn overrides_replace_an_actions_keys() {
        let km = KeyMap::default()
            .with_overrides("assign_mne: [\"3\"]\nquit: [ctrl-q]\n")
            .unwrap();
        assert_eq!(km.action(Scope::Sources, Key::Char('m')), None);
        assert_eq!(
            km.action(Scope::Sources, Key::Char('3')),
            Some(Action::AssignMne)
        );
        assert_eq!(km.action(Scope::Job, Key::Ctrl('q')), Some(Action::Quit));
        assert!(KeyMap::default().with_overrides("fly: [x]").is_err());
        assert!(KeyMap::default().with_overrides("quit: [xyz]").is_err());
    }
}

//! Keys from the real terminal. The wizard reads standard input itself
//! (one `read` of what `poll` said is there) and decodes the bytes with
//! `terminput`'s parser; the terminal's size is compared on every turn.
//!
//! Why not crossterm's reader: it waits on an edge-triggered `epoll` and,
//! when a resize signal and key bytes are ready in the same wait, returns
//! the resize and drops the key's readiness; the key then sits unread
//! until the next key comes (seen as a Tab lost after a resize in tmux).
//! Here the wait is level-triggered and every byte read is decoded, so no
//! key waits for another.

use std::collections::VecDeque;
use std::io;
use std::time::Duration;

use super::keymap::Key;
use super::tty;
use super::{EventSource, Input};
use crate::progress::Cancel;
use crate::tui::app::App;

/// The longest escape sequence kept while waiting for its end; anything
/// longer is noise and dropped.
const MAX_SEQUENCE: usize = 64;

/// Bytes to keys, across reads: a sequence split between two reads is
/// kept until its end comes. A lone ESC that ends a read is the Esc key
/// (terminals write a key's sequence in one go).
#[derive(Debug, Default)]
pub struct Decoder {
    pending: Vec<u8>,
}

impl Decoder {
    /// Decodes `bytes`, appending the keys they complete to `out`.
    pub fn feed(&mut self, bytes: &[u8], out: &mut VecDeque<Key>) {
        for (i, &b) in bytes.iter().enumerate() {
            self.pending.push(b);
            let more = i + 1 < bytes.len();
            if more && self.pending == [0x1b] {
                // ESC followed by more bytes: the start of a sequence.
                continue;
            }
            match terminput::Event::parse_from(&self.pending) {
                Ok(Some(event)) => {
                    if let Some(k) = key_of(&event) {
                        out.push_back(k);
                    }
                    self.pending.clear();
                }
                Ok(None) if self.pending.len() < MAX_SEQUENCE => {}
                Ok(None) | Err(_) => self.pending.clear(),
            }
        }
    }
}

/// The wizard's key for a decoded event (releases, mouse, focus: none).
fn key_of(event: &terminput::Event) -> Option<Key> {
    use terminput::{KeyCode, KeyEventKind, KeyModifiers};
    let terminput::Event::Key(k) = event else {
        return None;
    };
    if k.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = k.modifiers.contains(KeyModifiers::CTRL);
    let shift = k.modifiers.contains(KeyModifiers::SHIFT);
    Some(match k.code {
        KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Tab if shift => Key::BackTab,
        KeyCode::Tab => Key::Tab,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Delete => Key::Delete,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::F(n) => Key::F(n),
        _ => return None,
    })
}

/// Inputs from the real terminal. A stop flag set by the signal handlers,
/// a terminal that is no longer a terminal (hung up: its reads return end
/// of file) and an I/O error reading it all become [`Input::Hangup`], so
/// the wizard never spins on a dead terminal.
#[derive(Debug, Default)]
pub struct Terminal {
    stop: Cancel,
    decoder: Decoder,
    keys: VecDeque<Key>,
    size: Option<(u16, u16)>,
}

impl Terminal {
    /// Inputs from the terminal; `stop` is the flag SIGHUP, SIGTERM and
    /// SIGINT set.
    pub fn new(stop: Cancel) -> Self {
        Terminal {
            stop,
            size: crossterm::terminal::size().ok(),
            ..Terminal::default()
        }
    }

    fn gone(&self) -> bool {
        self.stop.is_cancelled() || tty::gone()
    }

    /// True once when the terminal's size differs from the last one seen.
    fn resized(&mut self) -> bool {
        let now = crossterm::terminal::size().ok();
        if now.is_some() && now != self.size {
            self.size = now;
            return true;
        }
        false
    }
}

impl EventSource for Terminal {
    fn next(&mut self, _app: &App, timeout: Duration) -> io::Result<Option<Input>> {
        if self.gone() {
            return Ok(Some(Input::Hangup));
        }
        if let Some(k) = self.keys.pop_front() {
            return Ok(Some(Input::Key(k)));
        }
        if self.resized() {
            return Ok(Some(Input::Resize));
        }
        match tty::wait_input(timeout) {
            tty::Ready::Gone => return Ok(Some(Input::Hangup)),
            tty::Ready::Idle => return Ok(None),
            tty::Ready::Input => {}
        }
        let mut buf = [0u8; 1024];
        match tty::read_input(&mut buf) {
            // End of file: the terminal hung up.
            Ok(0) => return Ok(Some(Input::Hangup)),
            Ok(n) => self.decoder.feed(&buf[..n], &mut self.keys),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock
                ) => {}
            Err(_) => return Ok(Some(Input::Hangup)),
        }
        Ok(self.keys.pop_front().map(Input::Key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(reads: &[&[u8]]) -> Vec<Key> {
        let mut d = Decoder::default();
        let mut out = VecDeque::new();
        for r in reads {
            d.feed(r, &mut out);
        }
        out.into_iter().collect()
    }

    #[test]
    fn plain_keys_and_control_keys() {
        assert_eq!(
            keys(&[b"a\t\r\x7f\x03"]),
            [
                Key::Char('a'),
                Key::Tab,
                Key::Enter,
                Key::Backspace,
                Key::Ctrl('c')
            ]
        );
    }

    #[test]
    fn every_key_of_a_read_comes_out_in_order() {
        // A resize and a burst of keys arriving together lose none.
        assert_eq!(
            keys(&[b"\x1b[B\x1b[B\tq"]),
            [Key::Down, Key::Down, Key::Tab, Key::Char('q')]
        );
    }

    #[test]
    fn sequences_arrows_shift_tab_delete_and_function_keys() {
        assert_eq!(
            keys(&[b"\x1b[A\x1bOB\x1b[Z\x1b[3~\x1b[5~\x1b[6~\x1bOP\x1b[15~"]),
            [
                Key::Up,
                Key::Down,
                Key::BackTab,
                Key::Delete,
                Key::PageUp,
                Key::PageDown,
                Key::F(1),
                Key::F(5)
            ]
        );
    }

    #[test]
    fn a_lone_escape_is_the_escape_key_and_a_split_sequence_waits() {
        assert_eq!(keys(&[b"\x1b"]), [Key::Esc]);
        assert_eq!(keys(&[b"\x1b[", b"A"]), [Key::Up]);
        assert_eq!(keys(&[b"x\x1b"]), [Key::Char('x'), Key::Esc]);
    }

    #[test]
    fn utf8_text_even_split_between_reads() {
        assert_eq!(keys(&["é".as_bytes()]), [Key::Char('é')]);
        let e = "é".as_bytes();
        assert_eq!(keys(&[&e[..1], &e[1..]]), [Key::Char('é')]);
    }

    #[test]
    fn noise_is_dropped_and_what_follows_still_decodes() {
        let mut long = b"\x1b[".to_vec();
        long.extend(std::iter::repeat_n(b'1', 200));
        long.push(b'q');
        let got = keys(&[&long, b"\t"]);
        assert_eq!(got.last(), Some(&Key::Tab), "{got:?}");
        assert_eq!(keys(&[b"\xff\xfe", b"a"]).last(), Some(&Key::Char('a')));
    }
}

//! The QuickTime atom layer: a bounded reader over `Read + Seek` that reads
//! atom headers (32-bit sizes, `size == 1` 64-bit largesize, `size == 0` to
//! the end of the parent), checks every atom against its parent and the
//! file, and reads capped prefixes of small atom bodies. It never reads an
//! atom body it was not asked for (so `mdat` is only ever skipped).

use std::io::{ErrorKind, Read, Seek, SeekFrom};

use crate::probe::{ProbeError, fourcc_text};

/// Most atoms one file may hold before we give up (bounds time and memory).
const ATOM_BUDGET: u32 = 20_000;

/// One atom header as found in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Atom {
    /// Four-character type.
    pub kind: [u8; 4],
    /// Offset of the atom header.
    pub start: u64,
    /// Offset of the first body byte (after the 8- or 16-byte header).
    pub body: u64,
    /// Offset one past the last byte of the atom.
    pub end: u64,
}

impl Atom {
    /// Body length in bytes.
    pub fn body_len(&self) -> u64 {
        self.end - self.body
    }

    /// The type as printable text.
    pub fn name(&self) -> String {
        fourcc_text(&self.kind)
    }
}

/// A seekable source of known length with an atom budget.
pub(crate) struct Source<'a, R> {
    r: &'a mut R,
    /// File length in bytes.
    pub len: u64,
    budget: u32,
}

impl<'a, R: Read + Seek> Source<'a, R> {
    /// Wraps a reader whose total length is `len`.
    pub fn new(r: &'a mut R, len: u64) -> Self {
        Self {
            r,
            len,
            budget: ATOM_BUDGET,
        }
    }

    /// Reads exactly `n` bytes at `pos`; a short file is `Truncated`.
    pub fn read_at(&mut self, pos: u64, n: usize, what: &str) -> Result<Vec<u8>, ProbeError> {
        let end = pos.saturating_add(n as u64);
        if end > self.len {
            return Err(ProbeError::Truncated {
                what: what.to_string(),
                expected: end,
                missing: end - self.len,
            });
        }
        self.r.seek(SeekFrom::Start(pos))?;
        let mut buf = vec![0u8; n];
        match self.r.read_exact(&mut buf) {
            Ok(()) => Ok(buf),
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => Err(ProbeError::Truncated {
                what: what.to_string(),
                expected: end,
                missing: 0,
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// Reads at most `cap` bytes of an atom's body (its prefix).
    pub fn body(&mut self, atom: &Atom, cap: usize) -> Result<Vec<u8>, ProbeError> {
        let n = atom.body_len().min(cap as u64) as usize;
        self.read_at(atom.body, n, &format!("`{}` atom", atom.name()))
    }

    /// The atoms directly inside `[from, to)`, in file order. `parent` names
    /// the enclosing atom in messages (`None` at the top level).
    pub fn children(
        &mut self,
        from: u64,
        to: u64,
        parent: Option<&Atom>,
    ) -> Result<Vec<Atom>, ProbeError> {
        let mut out = Vec::new();
        let mut pos = from;
        // Fewer than 8 bytes cannot hold an atom: some writers pad containers
        // with a 32-bit zero, so the tail is ignored rather than rejected.
        while to.saturating_sub(pos) >= 8 {
            if self.budget == 0 {
                return Err(ProbeError::Malformed(format!(
                    "more than {ATOM_BUDGET} atoms; not a plausible movie header"
                )));
            }
            self.budget -= 1;
            let atom = self.header(pos, to, parent)?;
            pos = atom.end;
            out.push(atom);
        }
        Ok(out)
    }

    /// Reads and checks the atom header at `pos` inside a parent ending at `to`.
    fn header(&mut self, pos: u64, to: u64, parent: Option<&Atom>) -> Result<Atom, ProbeError> {
        let head = self.read_at(pos, 8, "atom header")?;
        let size32 = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        let kind = [head[4], head[5], head[6], head[7]];
        let name = fourcc_text(&kind);
        let (size, header_len) = match size32 {
            0 => (to - pos, 8),
            1 => {
                if to - pos < 16 {
                    return Err(past_parent(&name, pos, to, parent, self.len, 16));
                }
                let big = self.read_at(pos + 8, 8, &format!("`{name}` 64-bit size"))?;
                let mut b = [0u8; 8];
                b.copy_from_slice(&big);
                (u64::from_be_bytes(b), 16)
            }
            n => (u64::from(n), 8),
        };
        if size < header_len {
            return Err(ProbeError::Malformed(format!(
                "`{name}` atom at offset {pos} has size {size}, smaller than its {header_len}-byte header"
            )));
        }
        let Some(end) = pos.checked_add(size) else {
            return Err(ProbeError::Malformed(format!(
                "`{name}` atom at offset {pos} has an impossible size {size}"
            )));
        };
        if end > to {
            return Err(past_parent(&name, pos, to, parent, self.len, size));
        }
        Ok(Atom {
            kind,
            start: pos,
            body: pos + header_len,
            end,
        })
    }
}

/// The error for an atom that claims more bytes than its parent (or the file) holds.
fn past_parent(
    name: &str,
    pos: u64,
    to: u64,
    parent: Option<&Atom>,
    file_len: u64,
    size: u64,
) -> ProbeError {
    if let Some(p) = parent {
        return ProbeError::Malformed(format!(
            "`{name}` atom at offset {pos} (size {size}) extends past its parent `{}`, which ends at {to}",
            p.name()
        ));
    }
    let expected = pos.saturating_add(size);
    ProbeError::Truncated {
        what: format!("`{name}` atom at offset {pos}"),
        expected,
        missing: expected.saturating_sub(file_len),
    }
}

//! Media headers with malicious size fields: `ds64` sizes of `u64::MAX`,
//! atoms of size 1 whose 64-bit size is near `u64::MAX`, BER lengths of
//! eight 0xFF bytes. Each probe returns an error quickly. Memory is checked
//! indirectly: the reader below is a "virtual file" of 2^50 bytes (the
//! header, then zeros), so size fields that fit the file pass every bounds
//! check; the largest buffer the probe ever asks to fill (which is the
//! largest buffer it allocated for a read) must stay small.

#![allow(clippy::unwrap_used, clippy::trivially_copy_pass_by_ref)] // test helpers

use std::io::{Cursor, Read, Seek, SeekFrom};
use std::time::{Duration, Instant};

use mnepack::probe::{Media, ProbeError, probe_reader};

/// Byte strings at given offsets, zeros elsewhere, up to `len`; records
/// the largest buffer a read asked to fill and the bytes read in total.
struct Virtual {
    parts: Vec<(u64, Vec<u8>)>,
    len: u64,
    pos: u64,
    largest_buf: usize,
    total_read: u64,
}

impl Virtual {
    fn new(head: Vec<u8>, len: u64) -> Self {
        Self::with_parts(vec![(0, head)], len)
    }

    fn with_parts(parts: Vec<(u64, Vec<u8>)>, len: u64) -> Self {
        Self {
            parts,
            len,
            pos: 0,
            largest_buf: 0,
            total_read: 0,
        }
    }

    fn byte_at(&self, at: u64) -> u8 {
        self.parts
            .iter()
            .find_map(|(start, bytes)| {
                let i = usize::try_from(at.checked_sub(*start)?).ok()?;
                bytes.get(i).copied()
            })
            .unwrap_or(0)
    }
}

impl Read for Virtual {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.largest_buf = self.largest_buf.max(buf.len());
        let left = self.len.saturating_sub(self.pos);
        let n = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        for (i, b) in buf[..n].iter_mut().enumerate() {
            *b = self.byte_at(self.pos + i as u64);
        }
        self.pos += n as u64;
        self.total_read += n as u64;
        Ok(n)
    }
}

impl Seek for Virtual {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.pos = match pos {
            SeekFrom::Start(p) => p,
            SeekFrom::End(d) => self.len.saturating_add_signed(d),
            SeekFrom::Current(d) => self.pos.saturating_add_signed(d),
        };
        Ok(self.pos)
    }
}

/// The probe's buffers stay under this (the readers cap text and tables at 1 MiB).
const MAX_BUF: usize = (1 << 20) + 64;

/// Probes `head` as a small file and as a 2^50-byte virtual one; both must
/// give an error (for which `check` holds) in little time and memory.
fn hostile(head: &[u8], check: impl Fn(&ProbeError) -> bool) {
    let t = Instant::now();
    let small = probe_reader(&mut Cursor::new(head.to_vec()));
    assert!(matches!(&small, Err(e) if check(e)), "small: {small:?}");
    let mut v = Virtual::new(head.to_vec(), 1 << 50);
    let big = probe_reader(&mut v);
    assert!(matches!(&big, Err(e) if check(e)), "virtual: {big:?}");
    assert!(v.largest_buf <= MAX_BUF, "a {} byte buffer", v.largest_buf);
    assert!(
        v.total_read <= 4 * MAX_BUF as u64,
        "{} bytes read",
        v.total_read
    );
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

/// Like [`hostile`] for a virtual file only, where the probe may succeed.
fn bounded(head: &[u8], len: u64) -> Result<Media, ProbeError> {
    let t = Instant::now();
    let mut v = Virtual::new(head.to_vec(), len);
    let r = probe_reader(&mut v);
    assert!(v.largest_buf <= MAX_BUF, "a {} byte buffer", v.largest_buf);
    assert!(
        v.total_read <= 4 * MAX_BUF as u64,
        "{} bytes read",
        v.total_read
    );
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    r
}

fn chunk(id: &[u8; 4], size: u32, body: &[u8]) -> Vec<u8> {
    let mut v = id.to_vec();
    v.extend_from_slice(&size.to_le_bytes());
    v.extend_from_slice(body);
    if body.len() % 2 == 1 {
        v.push(0);
    }
    v
}

fn fmt_pcm() -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&48_000u32.to_le_bytes());
    b.extend_from_slice(&288_000u32.to_le_bytes());
    b.extend_from_slice(&6u16.to_le_bytes());
    b.extend_from_slice(&24u16.to_le_bytes());
    chunk(b"fmt ", 16, &b)
}

fn ds64(riff: u64, data: u64, count: u32, table: &[([u8; 4], u64)]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&riff.to_le_bytes());
    b.extend_from_slice(&data.to_le_bytes());
    b.extend_from_slice(&0u64.to_le_bytes());
    b.extend_from_slice(&count.to_le_bytes());
    for (id, size) in table {
        b.extend_from_slice(id);
        b.extend_from_slice(&size.to_le_bytes());
    }
    chunk(b"ds64", b.len() as u32, &b)
}

fn rf64(magic: &[u8; 4], chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut v = magic.to_vec();
    v.extend_from_slice(&u32::MAX.to_le_bytes());
    v.extend_from_slice(b"WAVE");
    for c in chunks {
        v.extend_from_slice(c);
    }
    v
}

fn is_size_error(e: &ProbeError) -> bool {
    matches!(e, ProbeError::Truncated { .. } | ProbeError::Malformed(_))
}

#[test]
fn ds64_sizes_of_u64_max() {
    for magic in [b"RF64", b"BW64"] {
        // Every ds64 size at u64::MAX and a table count of u32::MAX.
        let data = chunk(b"data", u32::MAX, &[0; 12]);
        let f = rf64(
            magic,
            &[
                ds64(u64::MAX, u64::MAX, u32::MAX, &[]),
                fmt_pcm(),
                data.clone(),
            ],
        );
        hostile(&f, is_size_error);
        // The table gives an iXML chunk a size of u64::MAX, then 2^40.
        for size in [u64::MAX, u64::MAX - 7, 1 << 40] {
            let ixml = chunk(b"iXML", u32::MAX, b"<x/>");
            let f = rf64(
                magic,
                &[
                    ds64(1 << 45, 12, 1, &[(*b"iXML", size)]),
                    fmt_pcm(),
                    ixml,
                    data.clone(),
                ],
            );
            hostile(&f, is_size_error);
        }
    }
}

#[test]
fn huge_chunks_that_fit_a_huge_file_read_only_their_prefix() {
    // A 16 TiB `data` then a 1 TiB iXML, both sized by ds64, in a virtual
    // file of that length: the probe succeeds, reads 1 MiB of the text and
    // none of the samples.
    let data_len: u64 = 1 << 44;
    let ixml_len: u64 = 1 << 40;
    let mut head = rf64(
        b"RF64",
        &[ds64(0, data_len, 1, &[(*b"iXML", ixml_len)]), fmt_pcm()],
    );
    head.extend_from_slice(&chunk(b"data", u32::MAX, &[]));
    let ixml_at = head.len() as u64 + data_len;
    let len = ixml_at + 8 + ixml_len;
    let riff = (len - 8).to_le_bytes();
    head[20..28].copy_from_slice(&riff); // ds64 riff size (after RF64 hdr + ds64 hdr)
    let tail = chunk(b"iXML", u32::MAX, b"<BWFXML>");
    let t = Instant::now();
    let mut v = Virtual::with_parts(vec![(0, head), (ixml_at, tail)], len);
    let r = probe_reader(&mut v);
    let Ok(Media::Audio(a)) = r else {
        panic!("{r:?}")
    };
    assert_eq!(a.data_len, data_len);
    assert_eq!(a.frames, data_len / 6);
    let text = a.ixml.unwrap_or_default();
    assert!(
        text.starts_with("<BWFXML>"),
        "{:?}",
        &text[..text.len().min(20)]
    );
    assert!(text.len() <= 1 << 20, "{}", text.len());
    assert!(v.largest_buf <= MAX_BUF, "a {} byte buffer", v.largest_buf);
    assert!(
        v.total_read <= 2 * MAX_BUF as u64,
        "{} bytes read",
        v.total_read
    );
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

fn atom(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(body);
    v
}

fn atom_large(kind: &[u8; 4], large: u64, body: &[u8]) -> Vec<u8> {
    let mut v = 1u32.to_be_bytes().to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(&large.to_be_bytes());
    v.extend_from_slice(body);
    v
}

#[test]
fn atoms_of_size_one_with_a_largesize_near_u64_max() {
    let ftyp = atom(b"ftyp", b"qt  \0\0\0\0qt  ");
    for large in [
        u64::MAX,
        u64::MAX - 15,
        u64::MAX - 16 - ftyp.len() as u64,
        1 << 63,
        15,
        0,
    ] {
        let top = [ftyp.clone(), atom_large(b"mdat", large, &[0; 16])].concat();
        hostile(&top, is_size_error);
        let inner = atom_large(b"trak", large, &[0; 16]);
        let moov = [ftyp.clone(), atom(b"moov", &inner)].concat();
        hostile(&moov, is_size_error);
    }
}

#[test]
fn huge_atoms_in_a_huge_file_read_only_a_prefix() {
    // A moov of 2^45 bytes whose mvhd claims 2^44: in a 2^50-byte file
    // both fit; the probe must not read or allocate them.
    let ftyp = atom(b"ftyp", b"qt  \0\0\0\0qt  ");
    let mvhd = atom_large(b"mvhd", 1 << 44, &[0; 100]);
    let moov = atom_large(b"moov", 1 << 45, &mvhd);
    let head = [ftyp, moov].concat();
    let r = bounded(&head, 1 << 50);
    assert!(r.is_err(), "{r:?}");
}

const PARTITION_KEY: [u8; 16] = [
    0x06, 0x0E, 0x2B, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0D, 0x01, 0x02, 0x01, 0x01, 0x02, 0x04, 0x00,
];

#[test]
fn ber_lengths_of_eight_ff_bytes() {
    for ber in [
        vec![0x88, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
        vec![0x88, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
        vec![0x88, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
        vec![0x89, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        vec![0x80],
    ] {
        let mut f = PARTITION_KEY.to_vec();
        f.extend_from_slice(&ber);
        f.extend_from_slice(&[0; 200]);
        hostile(&f, |e| {
            is_size_error(e) || matches!(e, ProbeError::Unsupported(_))
        });
    }
}

#[test]
fn huge_klv_values_in_a_huge_file_are_not_read() {
    // A partition pack of 2^44 bytes fits a 2^50-byte file; it is refused
    // by its length, not read.
    let mut f = PARTITION_KEY.to_vec();
    f.push(0x88);
    f.extend_from_slice(&(1u64 << 44).to_be_bytes());
    f.extend_from_slice(&[0; 200]);
    let r = bounded(&f, 1 << 50);
    assert!(
        matches!(r, Err(ProbeError::Unsupported(ref m)) if m.contains("partition pack")),
        "{r:?}"
    );
}

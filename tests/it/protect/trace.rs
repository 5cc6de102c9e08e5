//! Reading an `strace -f -y` log for changes to a folder: every syscall
//! that creates, writes, truncates, renames, links over, removes or
//! re-permissions something under it, whether it names the path outright,
//! relative to a directory handle (`openat(5</stage>, "a.wav", O_RDWR)`),
//! or through a descriptor (`write(3</stage/a.wav>, ...)`). Arguments are
//! told apart, so a hard link or a reflink made *from* a source into the
//! delivery is a read of the source, and one made *into* the folder is a
//! change.

use std::path::{Path, PathBuf};

/// Which arguments of a call name what it changes.
enum Target {
    /// A path (relative ones against the process's working folder).
    Path(usize),
    /// A directory descriptor and a path relative to it.
    At(usize, usize),
    /// A descriptor.
    Fd(usize),
}

/// Flags of an open that may change the file.
const WRITE_FLAGS: &[&str] = &["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"];

/// What each changing call changes. Opens count only with a write flag;
/// `mmap` only when shared and writable; `ioctl` only for a clone.
fn targets(call: &str, args: &[&str]) -> Vec<Target> {
    use Target::{At, Fd, Path};
    let has = |i: usize, words: &[&str]| {
        args.get(i)
            .is_some_and(|a| words.iter().any(|w| a.contains(w)))
    };
    match call {
        "open" if has(1, WRITE_FLAGS) => vec![Path(0)],
        "openat" | "openat2" if has(2, WRITE_FLAGS) => vec![At(0, 1)],
        "creat" | "truncate" | "unlink" | "rmdir" | "mkdir" | "mknod" | "chmod" | "chown"
        | "lchown" | "utime" | "utimes" | "setxattr" | "lsetxattr" | "removexattr"
        | "lremovexattr" => vec![Path(0)],
        "unlinkat" | "mkdirat" | "mknodat" | "fchmodat" | "fchmodat2" | "fchownat"
        | "utimensat" | "futimesat" => vec![At(0, 1)],
        "rename" => vec![Path(0), Path(1)],
        "renameat" | "renameat2" => vec![At(0, 1), At(2, 3)],
        "link" | "symlink" => vec![Path(1)],
        "linkat" => vec![At(2, 3)],
        "symlinkat" => vec![At(1, 2)],
        "write" | "pwrite64" | "writev" | "pwritev" | "pwritev2" | "ftruncate" | "fallocate"
        | "fchmod" | "fchown" | "fsetxattr" | "fremovexattr" | "sendfile" => {
            vec![Fd(0)]
        }
        "copy_file_range" | "splice" => vec![Fd(2)],
        "ioctl" if has(1, &["FICLONE"]) => vec![Fd(0)],
        "mmap" if has(2, &["PROT_WRITE"]) && has(3, &["MAP_SHARED"]) => vec![Fd(4)],
        _ => Vec::new(),
    }
}

/// The lines of `trace` (from `strace -f -y`) that change something under
/// `folder`; `cwd` is the traced process's working folder.
pub fn changes_under(trace: &str, folder: &Path, cwd: &Path) -> Vec<String> {
    trace
        .lines()
        .filter(|l| changed_paths(l, cwd).iter().any(|p| p.starts_with(folder)))
        .map(str::to_string)
        .collect()
}

/// The paths one trace line changes or tries to (a failed attempt counts:
/// the tool must never try).
fn changed_paths(line: &str, cwd: &Path) -> Vec<PathBuf> {
    let Some((call, args)) = parse(line) else {
        return Vec::new();
    };
    let string = |i: usize| args.get(i).and_then(|a| unquote(a));
    let fd = |i: usize| args.get(i).and_then(|a| annotated(a));
    targets(call, &args)
        .into_iter()
        .filter_map(|t| match t {
            Target::Path(i) => string(i).map(|p| cwd.join(p)),
            Target::Fd(i) => fd(i),
            Target::At(d, i) => {
                let rel = string(i).unwrap_or_default();
                let dir = fd(d).unwrap_or_else(|| cwd.to_path_buf());
                Some(if rel.is_empty() { dir } else { dir.join(rel) })
            }
        })
        .collect()
}

/// `pid call(args) = result` into the call and its top-level arguments.
fn parse(line: &str) -> Option<(&str, Vec<&str>)> {
    let rest = line.trim_start();
    let rest = rest
        .split_once(' ')
        .filter(|(pid, _)| pid.bytes().all(|b| b.is_ascii_digit()))
        .map_or(rest, |(_, r)| r);
    let open = rest.find('(')?;
    let call = &rest[..open];
    let args = split_args(&rest[open + 1..])?;
    Some((call, args))
}

/// Splits `a, "b, c", {d, e}) = 0` at its top-level commas, up to the
/// parenthesis that closes the call.
fn split_args(s: &str) -> Option<Vec<&str>> {
    let b = s.as_bytes();
    let (mut depth, mut start, mut args) = (0usize, 0usize, Vec::new());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            // A descriptor's path: `3</a/b>` or `AT_FDCWD</a>`.
            b'<' if i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == b'D') => {
                while i < b.len() && b[i] != b'>' {
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            b')' if depth == 0 => {
                let last = s[start..i].trim();
                if !last.is_empty() {
                    args.push(last);
                }
                return Some(args);
            }
            b')' => depth -= 1,
            b',' if depth == 0 => {
                args.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The text of a quoted argument (`"a\"b"` -> `a"b`); None for others.
fn unquote(arg: &str) -> Option<String> {
    let inner = arg.strip_prefix('"')?;
    let inner = inner.strip_suffix("...").unwrap_or(inner);
    let inner = inner.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        out.push(if c == '\\' { chars.next()? } else { c });
    }
    Some(out)
}

/// The path `strace -y` gives a descriptor: `3</a/b>` -> `/a/b`.
fn annotated(arg: &str) -> Option<PathBuf> {
    let (_, path) = arg.split_once('<')?;
    Some(PathBuf::from(path.strip_suffix('>')?))
}

#[test]
fn the_trace_filter_catches_changes_however_they_are_named() {
    let stage = Path::new("/s/stage");
    let cwd = Path::new("/s");
    let trace = r#"
100 openat(AT_FDCWD</s>, "/s/stage/a.wav", O_RDONLY|O_CLOEXEC) = 3</s/stage/a.wav>
100 read(3</s/stage/a.wav>, "RIFF", 4) = 4
100 statx(AT_FDCWD</s>, "/s/stage/a.wav", AT_STATX_SYNC_AS_STAT, STATX_ALL, {}) = 0
100 linkat(AT_FDCWD</s>, "/s/stage/a.wav", AT_FDCWD</s>, "/s/out/a.wav", 0) = 0
100 ioctl(4</s/out/b.wav>, FICLONE, 3) = 0
100 copy_file_range(3</s/stage/a.wav>, NULL, 4</s/out/b.wav>, NULL, 8192, 0) = 8192
100 write(1</dev/pts/0>, "/s/stage/a.wav: 48 kHz"..., 70) = 70
100 openat(AT_FDCWD</s>, "/s/out/x.wav", O_WRONLY|O_CREAT|O_CLOEXEC, 0644) = 5</s/out/x.wav>
200 openat(AT_FDCWD</s>, "/s/stage/gone.wav", O_RDWR) = -1 ENOENT (No such file or directory)
200 openat(AT_FDCWD</s>, "/s/stage/a.wav", O_WRONLY|O_CLOEXEC) = 3</s/stage/a.wav>
200 openat(5</s/stage>, "b.wav", O_RDWR) = 6</s/stage/b.wav>
200 openat(AT_FDCWD</s>, "stage/new.wav", O_RDONLY|O_CREAT|O_CLOEXEC, 0644) = 3</s/stage/new.wav>
200 renameat2(AT_FDCWD</s>, "/s/stage/a.wav", AT_FDCWD</s>, "/s/out/a.wav", RENAME_NOREPLACE) = 0
200 linkat(AT_FDCWD</s>, "/s/out/a.wav", 5</s/stage>, "c.wav", 0) = 0
200 utimensat(AT_FDCWD</s>, "/s/stage/a.wav", NULL, 0) = 0
200 write(7</s/stage/a.wav>, "x", 1) = 1
200 ftruncate(7</s/stage/a.wav>, 0) = 0
200 ioctl(7</s/stage/a.wav>, FICLONE, 4) = 0
200 copy_file_range(4</s/out/b.wav>, NULL, 7</s/stage/a.wav>, NULL, 8192, 0) = 8192
200 fchmodat(5</s/stage>, "a.wav", 0444) = 0
200 unlinkat(5</s/stage>, "._a.wav", 0) = 0
"#;
    let caught = changes_under(trace, stage, cwd);
    assert!(caught.iter().all(|l| l.starts_with("200 ")), "{caught:#?}");
    assert_eq!(
        caught.len(),
        trace.lines().filter(|l| l.starts_with("200 ")).count(),
        "{caught:#?}"
    );
}

//! Stage folders inside a scanned folder (pure). A mix room hands over
//! either one stage, whose files may sit in a few sub-folders (`audio/`,
//! `picture/`), or a folder of several sessions, each with its own M&E or
//! print master. The second must never become one job: a guess over all
//! its files would take one episode's M&E and another's vocalizations.
//! So a folder whose own files hold an M&E or a print master is a
//! session; every other file joins the one session whose folder is
//! closest to it, or none when two are equally close.

use std::path::{Path, PathBuf};

use super::{Candidate, guess_sources};

/// One stage folder's files.
#[derive(Debug, Clone)]
pub struct Session {
    /// The folder that holds the session's own M&E or print master (for a
    /// single stage: the folder that holds them, else the files' common
    /// folder).
    pub dir: PathBuf,
    /// Its files (the set's own, and those placed with it).
    pub files: Vec<Candidate>,
}

impl Session {
    /// The roles a guess finds among its files (`M&E, PM, guide, ref, 2
    /// optionals`), for a list a person picks from.
    pub fn summary(&self) -> String {
        let s = guess_sources(&self.files);
        let mut parts: Vec<String> = Vec::new();
        if s.mne.is_some() {
            parts.push("M&E".into());
        }
        if s.print_master.is_some() {
            parts.push("PM".into());
        }
        if s.dialogue_guide.is_some() {
            parts.push("guide".into());
        }
        if s.reference_video.is_some() {
            parts.push("ref".into());
        }
        match s.optionals.len() {
            0 => {}
            1 => parts.push("1 optional".into()),
            n => parts.push(format!("{n} optionals")),
        }
        parts.join(", ")
    }
}

fn parent(c: &Candidate) -> PathBuf {
    c.path.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// How many leading components two paths share.
fn shared(a: &Path, b: &Path) -> usize {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .count()
}

/// The folder all of `dirs` sit in.
fn common_dir<'a>(mut dirs: impl Iterator<Item = &'a Path>) -> PathBuf {
    let Some(first) = dirs.next() else {
        return PathBuf::new();
    };
    let mut common = first.to_path_buf();
    for d in dirs {
        let n = shared(&common, d);
        common = common.components().take(n).collect();
    }
    common
}

/// The stage folders among `files` (see the module text), in path order.
/// One session holding every file when fewer than two folders hold a set
/// of their own; otherwise one per such folder, with the files placed in
/// the closest one (files as close to two sessions belong to neither).
pub fn sessions(files: &[Candidate]) -> Vec<Session> {
    let mut dirs: Vec<PathBuf> = files.iter().map(parent).collect();
    dirs.sort();
    dirs.dedup();
    let set_dirs: Vec<PathBuf> = dirs
        .into_iter()
        .filter(|d| {
            let own: Vec<Candidate> = files.iter().filter(|c| &parent(c) == d).cloned().collect();
            let s = guess_sources(&own);
            s.mne.is_some() || s.print_master.is_some()
        })
        .collect();
    if set_dirs.len() < 2 {
        let dir = set_dirs
            .into_iter()
            .next()
            .unwrap_or_else(|| common_dir(files.iter().filter_map(|c| c.path.parent())));
        return vec![Session {
            dir,
            files: files.to_vec(),
        }];
    }
    let mut out: Vec<Session> = set_dirs
        .iter()
        .map(|d| Session {
            dir: d.clone(),
            files: Vec::new(),
        })
        .collect();
    for c in files {
        let p = parent(c);
        let closeness: Vec<usize> = set_dirs.iter().map(|d| shared(d, &p)).collect();
        let best = closeness.iter().copied().max().unwrap_or(0);
        let mut at = closeness.iter().enumerate().filter(|(_, n)| **n == best);
        if let (Some((i, _)), None) = (at.next(), at.next()) {
            out[i].files.push(c.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::probe::probe_reader;
    use crate::testmedia::{WavSpec, write_wav};

    fn wav(path: &str, channels: u16) -> Candidate {
        let spec = WavSpec::new(48_000, 24, channels, 480);
        let mut bytes = Vec::new();
        write_wav(&spec, &mut bytes).unwrap();
        Candidate {
            path: PathBuf::from(path),
            media: Some(probe_reader(&mut Cursor::new(bytes)).unwrap()),
        }
    }

    fn three_sessions() -> Vec<Candidate> {
        let mut v = Vec::new();
        for ep in ["101", "102", "103"] {
            v.push(wav(&format!("/s/NT {ep}/NT{ep}_ME_51.wav"), 6));
            v.push(wav(&format!("/s/NT {ep}/NT{ep}_PM_51.wav"), 6));
            v.push(wav(&format!("/s/NT {ep}/NT{ep}_DX_guide_mono.wav"), 1));
            v.push(wav(&format!("/s/NT {ep}/NT{ep}_OPT_A_vox_51.wav"), 6));
        }
        v
    }

    #[test]
    fn a_folder_of_three_sessions_is_three_sets_each_with_its_own_files() {
        let s = sessions(&three_sessions());
        assert_eq!(s.len(), 3);
        for (session, ep) in s.iter().zip(["101", "102", "103"]) {
            assert_eq!(session.dir, PathBuf::from(format!("/s/NT {ep}")));
            assert_eq!(session.files.len(), 4);
            assert!(
                session
                    .files
                    .iter()
                    .all(|c| c.path.starts_with(&session.dir)),
                "{session:?}"
            );
            assert_eq!(session.summary(), "M&E, PM, guide, 1 optional");
        }
    }

    #[test]
    fn one_stage_in_sub_folders_stays_one_session() {
        let files = vec![
            wav("/s/NT/audio/NT_ME_51.wav", 6),
            wav("/s/NT/audio/NT_PM_51.wav", 6),
            wav("/s/NT/guide/NT_DX_guide.wav", 1),
            wav("/s/NT/opt/NT_OPT_walla_51.wav", 6),
        ];
        let s = sessions(&files);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].files.len(), 4);
        assert_eq!(s[0].dir, PathBuf::from("/s/NT/audio"));
    }

    #[test]
    fn a_file_as_close_to_two_sessions_joins_neither() {
        let mut files = three_sessions();
        files.push(wav("/s/shared_OPT_walla_51.wav", 6));
        files.push(wav("/s/NT 102/extra/NT102_OPT_B_walla_51.wav", 6));
        let s = sessions(&files);
        assert_eq!(s.len(), 3);
        assert!(s.iter().all(|x| {
            x.files
                .iter()
                .all(|c| !c.path.ends_with("shared_OPT_walla_51.wav"))
        }));
        assert_eq!(s[1].files.len(), 5, "{:?}", s[1]);
    }
}

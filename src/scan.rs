//! A stage folder as both front ends read it: every file under it (hidden
//! folders are not entered), its media files probed, and where a delivery
//! goes by default. `mnepack init` and the wizard's browser call these and
//! nothing else, so they cannot see a folder differently; what the files
//! mean is guessed by the pure [`crate::guess`].

use std::fs;
use std::path::{Path, PathBuf};

use crate::guess::{Candidate, is_debris, is_media_name};
use crate::probe::probe_path;

/// How deep below the scanned folder files are listed.
pub const MAX_DEPTH: usize = 8;

/// Every file under `root` in name order, hidden and AppleDouble files
/// included (the browser shows them dimmed); hidden folders are not entered.
pub fn list(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .max_depth(MAX_DEPTH)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || e.file_type().is_file()
                || !is_debris(&e.file_name().to_string_lossy())
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// True for a listed file worth probing: a media name, not debris.
pub fn is_candidate(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !is_debris(&name) && is_media_name(&name)
}

/// Every media file under `root`, probed (unreadable ones carry no facts).
pub fn candidates(root: &Path) -> Vec<Candidate> {
    list(root)
        .into_iter()
        .filter(|p| is_candidate(p))
        .map(|path| Candidate {
            media: probe_path(&path).ok().map(|p| p.media),
            path,
        })
        .collect()
}

/// Where deliveries of the stage folder `root` go by default: beside it
/// (`../deliveries`) when it holds media files itself, since `pack`
/// refuses a delivery root inside a source folder; else inside it
/// (`root/deliveries`, as the demo does: its media sit in `stage/`).
pub fn default_output(root: &Path) -> PathBuf {
    let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let holds_media = fs::read_dir(&root).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.file_type().is_ok_and(|t| t.is_file()) && is_candidate(&e.path()))
    });
    match root.parent() {
        Some(parent) if holds_media => parent.join("deliveries"),
        _ => root.join("deliveries"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_of_media_delivers_beside_itself_and_a_project_folder_inside() {
        let tmp = tempfile::tempdir().unwrap();
        let stage = tmp.path().join("NT 101 Stage");
        fs::create_dir_all(stage.join("sub")).unwrap();
        fs::write(stage.join("sub/NT_ME.wav"), b"x").unwrap();
        let top = fs::canonicalize(tmp.path()).unwrap();
        // Media only in a sub-folder: the delivery may go inside.
        assert_eq!(default_output(&stage), top.join("NT 101 Stage/deliveries"));
        // Debris at the top is not media.
        fs::write(stage.join("._NT_PM.wav"), b"x").unwrap();
        assert_eq!(default_output(&stage), top.join("NT 101 Stage/deliveries"));
        fs::write(stage.join("NT_PM.wav"), b"x").unwrap();
        assert_eq!(default_output(&stage), top.join("deliveries"));
    }

    #[test]
    fn hidden_folders_are_not_entered_and_hidden_files_are_listed() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join(".Trashes")).unwrap();
        fs::write(tmp.path().join(".Trashes/ME.wav"), b"x").unwrap();
        fs::write(tmp.path().join("._ME.wav"), b"x").unwrap();
        fs::write(tmp.path().join("ME.wav"), b"x").unwrap();
        let names: Vec<String> = list(tmp.path())
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["._ME.wav", "ME.wav"]);
        assert_eq!(candidates(tmp.path()).len(), 1);
    }
}

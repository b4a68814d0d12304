//! The course's own example figures: groups copy the course's `reports/` folder, and with it
//! the pictures its report questions point to "for inspiration" (an architecture overview, a
//! bucket, a registry, a build history, a W&B dashboard). The same bytes sit in every group's
//! `reports/figures/`, so they are never evidence of a group's work.
//!
//! They are recognised by their git blob id (SHA-1 of `blob <size>\0` and the bytes), the id
//! the course's repository records for them, so the bytes themselves are not part of dayone.
//! The size is compared first, so only a file of exactly the right size is read.

use std::path::Path;

use sha1::{Digest, Sha1};

/// One of the course's example figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseFigure {
    /// Its name in the course's `reports/figures/`.
    pub name: &'static str,
    /// What it shows.
    pub shows: &'static str,
    pub size: u64,
    /// The git blob id, in hex.
    pub blob: &'static str,
}

/// The figures of `reports/figures/` in github.com/SkafteNicki/dtu_mlops, every version the
/// course has published (each is unchanged since it was added in December 2022; `gcp.png`
/// was there for two weeks, and old copies remain in groups' repositories). Sizes and blob
/// ids read with `git ls-tree -l` on that repository; all are PNG files.
pub const COURSE_FIGURES: &[CourseFigure] = &[
    CourseFigure {
        name: "overview.png",
        shows: "the course's example architecture diagram (800×450)",
        size: 107_110,
        blob: "2541ccd65a81134f9aaf7dd1ca3f0d70f06ae2a1",
    },
    CourseFigure {
        name: "bucket.png",
        shows: "the course's example bucket screenshot (800×413)",
        size: 98_676,
        blob: "be0b30deecce710b4529109053262d040643e436",
    },
    CourseFigure {
        name: "registry.png",
        shows: "the course's example registry screenshot (800×263)",
        size: 40_879,
        blob: "265a2a18be4280c490944521e244c501f25f458c",
    },
    CourseFigure {
        name: "build.png",
        shows: "the course's example build history screenshot (800×331)",
        size: 67_106,
        blob: "0e8cde37a7e85f993a366f88ac6bc30dc8390f1b",
    },
    CourseFigure {
        name: "wandb.png",
        shows: "the course's example W&B screenshot (800×318)",
        size: 90_022,
        blob: "be2ab2834d6185ecdb1897751f7254fd1070beb0",
    },
    CourseFigure {
        name: "gcp.png",
        shows: "the course's example GCP screenshot (681×600)",
        size: 179_464,
        blob: "29d49017220671a85cafc836a67a58d579566800",
    },
];

/// The git blob id of `bytes`, in hex.
pub fn blob_id(bytes: &[u8]) -> String {
    let mut hash = Sha1::new();
    hash.update(format!("blob {}\0", bytes.len()).as_bytes());
    hash.update(bytes);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The figure of `known` that the file at `path` is, byte for byte; `None` for any other
/// file, and for one that cannot be read (it is then simply not recognised).
pub fn identify<'k>(path: &Path, known: &'k [CourseFigure]) -> Option<&'k CourseFigure> {
    let size = fs_err::metadata(path).ok()?.len();
    let candidates: Vec<&CourseFigure> = known.iter().filter(|f| f.size == size).collect();
    if candidates.is_empty() {
        return None;
    }
    let id = blob_id(&fs_err::read(path).ok()?);
    candidates.into_iter().find(|f| f.blob == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_ids_are_gits() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            blob_id(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }

    #[test]
    fn a_file_is_recognised_by_size_and_bytes_only() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = b"\x89PNG\r\n\x1a\n a synthetic figure";
        let known = [CourseFigure {
            name: "overview.png",
            shows: "a test figure",
            size: bytes.len() as u64,
            blob: Box::leak(blob_id(bytes).into_boxed_str()),
        }];
        let same = dir.path().join("renamed.png");
        fs_err::write(&same, bytes).unwrap();
        assert_eq!(identify(&same, &known), Some(&known[0]));
        let other = dir.path().join("overview.png");
        fs_err::write(&other, b"\x89PNG\r\n\x1a\n a synthetic figurE").unwrap();
        assert_eq!(identify(&other, &known), None);
        assert_eq!(identify(&dir.path().join("missing.png"), &known), None);
    }
}

//! Git's object format, written directly as loose objects: `<kind> <size>\0<bytes>`, named by
//! its SHA-1 and framed as a zlib stream of stored (uncompressed) blocks. libgit2 would open a
//! zlib compressor for every object, which cost more than all the rendering of a new project;
//! git reads these objects as any others and packs them on its first `gc`.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use sha1::{Digest, Sha1};

use super::zlib::{self, Stored, Verdict};
use crate::disk;
use crate::plan::{Contents, Plan};

/// How git names an object being written, which `git fsck` passes over and `git gc` removes
/// when a killed writer left it.
const TEMPORARY: &str = "tmp_obj_";
/// Git makes loose objects read-only.
const READ_ONLY: u32 = 0o444;

/// A 20-byte object id.
pub type Id = [u8; 20];

#[derive(Clone, Copy)]
pub enum Kind {
    Blob,
    Tree,
    Commit,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Blob => "blob",
            Kind::Tree => "tree",
            Kind::Commit => "commit",
        }
    }
}

/// One entry of a tree object.
pub struct Entry<'a> {
    pub name: &'a str,
    pub mode: Mode,
    pub id: Id,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    File,
    Executable,
    Folder,
}

impl Mode {
    fn octal(self) -> &'static str {
        match self {
            Mode::File => "100644",
            Mode::Executable => "100755",
            Mode::Folder => "40000",
        }
    }
}

/// Writes objects below a repository's `objects/` folder (or, made by [`Store::ids_only`],
/// only works out their ids).
pub struct Store {
    objects: Option<PathBuf>,
    /// Whether the repository was just created, so only what this store wrote can be there.
    fresh: bool,
    written: HashSet<Id>,
}

impl Store {
    /// For a repository created a moment ago: nothing is looked up before it is written.
    pub fn new(git_dir: &Path) -> Self {
        Self {
            objects: Some(git_dir.join("objects")),
            fresh: true,
            written: HashSet::new(),
        }
    }

    /// For a repository that has history: an object already stored loose is not written again
    /// (git makes loose objects read-only). One that is only in a pack gets a loose twin, which
    /// git accepts.
    pub fn existing(git_dir: &Path) -> Self {
        Self {
            fresh: false,
            ..Self::new(git_dir)
        }
    }

    /// A store that writes nothing: the ids a plan's objects would have.
    pub fn ids_only() -> Self {
        Self {
            objects: None,
            fresh: true,
            written: HashSet::new(),
        }
    }

    /// Write one object (once, however often it is given) and return its id.
    pub fn write(&mut self, kind: Kind, data: &[u8]) -> std::io::Result<Id> {
        let header = format!("{} {}\0", kind.name(), data.len());
        let id: Id = Sha1::new()
            .chain_update(header.as_bytes())
            .chain_update(data)
            .finalize()
            .into();
        if let Some(path) = self.target_for(&id)? {
            disk::write_whole(&path, TEMPORARY, Some(READ_ONLY), |out| {
                let mut stream = Stored::new(out)?;
                stream.write(header.as_bytes())?;
                stream.write(data)?;
                stream.finish().map(drop)
            })?;
        }
        Ok(id)
    }

    /// A blob of `contents`; a file on disk is read in pieces, twice (for its id, then into
    /// the object), and never held whole.
    pub fn blob(&mut self, contents: &Contents) -> std::io::Result<Id> {
        let Contents::File { path, len } = contents else {
            return self.write(Kind::Blob, &contents.read()?);
        };
        let header = format!("blob {len}\0");
        let mut hash = Sha1::new();
        hash.update(header.as_bytes());
        for_each_piece(path, |piece| {
            hash.update(piece);
            Ok(())
        })?;
        let id: Id = hash.finalize().into();
        if let Some(target) = self.target_for(&id)? {
            disk::write_whole(&target, TEMPORARY, Some(READ_ONLY), |out| {
                let mut stream = Stored::new(out)?;
                stream.write(header.as_bytes())?;
                for_each_piece(path, |piece| stream.write(piece))?;
                stream.finish().map(drop)
            })?;
        }
        Ok(id)
    }

    /// Where to write the object `id`, or `None` when it is already written. A loose object
    /// that is there but empty or cut short (what a killed older dayone left) is written again.
    fn target_for(&mut self, id: &Id) -> std::io::Result<Option<PathBuf>> {
        let Some(objects) = &self.objects else {
            return Ok(None);
        };
        let hex = to_hex(id);
        let folder = objects.join(&hex[..2]);
        let path = folder.join(&hex[2..]);
        if !self.written.insert(*id) || (!self.fresh && is_whole(&path, id)) {
            return Ok(None);
        }
        // For each object, not once per folder: which folders an object shares depends on the
        // ids, and a commit's id on the clock, so the steps a run takes would too.
        disk::create_dir_all(&folder)?;
        Ok(Some(path))
    }

    /// A tree of `entries`, in git's order (a folder sorts as if its name ended in `/`).
    pub fn tree(&mut self, entries: &mut [Entry]) -> std::io::Result<Id> {
        let key = |e: &Entry| {
            let mut key = e.name.as_bytes().to_vec();
            if e.mode == Mode::Folder {
                key.push(b'/');
            }
            key
        };
        entries.sort_by_key(key);
        let mut data = Vec::new();
        for entry in entries.iter() {
            data.extend_from_slice(entry.mode.octal().as_bytes());
            data.push(b' ');
            data.extend_from_slice(entry.name.as_bytes());
            data.push(0);
            data.extend_from_slice(&entry.id);
        }
        self.write(Kind::Tree, &data)
    }

    /// Every file of `plan` as blobs, and its folders as trees; returns the root tree.
    pub fn plan_tree(&mut self, plan: &Plan) -> std::io::Result<Id> {
        self.folder_tree(&Folder::of(plan))
    }

    fn folder_tree(&mut self, folder: &Folder) -> std::io::Result<Id> {
        let mut entries = Vec::with_capacity(folder.files.len() + folder.folders.len());
        for (name, (contents, executable)) in &folder.files {
            let mode = if *executable {
                Mode::Executable
            } else {
                Mode::File
            };
            entries.push(Entry {
                name,
                mode,
                id: self.blob(contents)?,
            });
        }
        for (name, sub) in &folder.folders {
            entries.push(Entry {
                name,
                mode: Mode::Folder,
                id: self.folder_tree(sub)?,
            });
        }
        self.tree(&mut entries)
    }

    /// A commit of `tree` with these parents, by `person` (a [`signature_line`]).
    pub fn commit(
        &mut self,
        tree: &Id,
        parents: &[Id],
        person: &str,
        message: &str,
    ) -> std::io::Result<Id> {
        let mut body = format!("tree {}\n", to_hex(tree));
        for parent in parents {
            body += &format!("parent {}\n", to_hex(parent));
        }
        body += &format!("author {person}\ncommitter {person}\n\n{message}");
        self.write(Kind::Commit, body.as_bytes())
    }
}

/// Whether the loose object at `path` is all there and is `id`. Objects git compressed are
/// taken as they are: git writes them whole before it gives them their name.
fn is_whole(path: &Path, id: &Id) -> bool {
    let Ok(file) = fs_err::File::open(path) else {
        return false;
    };
    let mut hash = Sha1::new();
    match zlib::read_stored(std::io::BufReader::new(file), |piece| hash.update(piece)) {
        Ok(Verdict::Complete) => <[u8; 20]>::from(hash.finalize()) == *id,
        Ok(Verdict::Compressed) => true,
        Ok(Verdict::Broken) | Err(_) => false,
    }
}

/// `name <email> seconds ±hhmm`, as a commit's author and committer lines hold them.
pub fn signature_line(name: &str, email: &str, seconds: i64, offset_minutes: i32) -> String {
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let offset = offset_minutes.unsigned_abs();
    format!(
        "{name} <{email}> {seconds} {sign}{:02}{:02}",
        offset / 60,
        offset % 60
    )
}

/// The plan as nested folders: name → file (bytes, executable) or subfolder.
#[derive(Default)]
struct Folder<'a> {
    files: BTreeMap<&'a str, (&'a Contents, bool)>,
    folders: BTreeMap<&'a str, Folder<'a>>,
}

impl<'a> Folder<'a> {
    fn of(plan: &'a Plan) -> Self {
        let mut root = Folder::default();
        for (path, file) in &plan.files {
            let mut parts: Vec<&str> = path.as_str().split('/').collect();
            let name = parts.pop().expect("a path has a last component");
            let folder = parts.into_iter().fold(&mut root, |folder, part| {
                folder.folders.entry(part).or_default()
            });
            folder.files.insert(name, (&file.contents, file.executable));
        }
        root
    }
}

pub fn to_hex(id: &Id) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

/// Call `each` with the file's bytes, 64 KiB at a time.
fn for_each_piece(
    path: &Path,
    mut each: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut file = fs_err::File::open(path)?;
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = std::io::Read::read(&mut file, &mut buffer)?;
        if n == 0 {
            return Ok(());
        }
        each(&buffer[..n])?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_git() {
        // `printf 'hello\n' | git hash-object --stdin` and `git hash-object -t tree /dev/null`.
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("objects")).unwrap();
        let mut store = Store::new(dir.path());
        let blob = store.write(Kind::Blob, b"hello\n").unwrap();
        assert_eq!(to_hex(&blob), "ce013625030ba8dba906f756967f9e9ca394464a");
        let empty = store.tree(&mut []).unwrap();
        assert_eq!(to_hex(&empty), "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
    }

    fn git(dir: &Path, args: &[&str]) -> std::process::Output {
        std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .expect("git on PATH")
    }

    /// What an older dayone killed (or on a full disk) left: an object file cut short, or empty,
    /// under the object's own name. It is written again, never taken as there.
    #[test]
    fn an_object_cut_short_or_empty_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        assert!(git(dir.path(), &["init", "-q"]).status.success());
        let git_dir = dir.path().join(".git");
        let path = git_dir.join("objects/ce/013625030ba8dba906f756967f9e9ca394464a");
        Store::new(&git_dir).write(Kind::Blob, b"hello\n").unwrap();
        let whole = std::fs::read(&path).unwrap();
        for broken in [whole[..whole.len() - 3].to_vec(), Vec::new()] {
            std::fs::remove_file(&path).unwrap();
            std::fs::write(&path, &broken).unwrap();
            Store::existing(&git_dir)
                .write(Kind::Blob, b"hello\n")
                .unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), whole);
            let shown = git(dir.path(), &["cat-file", "-p", "ce0136"]);
            assert_eq!(shown.stdout, b"hello\n");
            // Only notices: the repository has no branch yet.
            let fsck = git(dir.path(), &["fsck", "--full", "--no-dangling"]);
            let said = String::from_utf8_lossy(&fsck.stderr);
            assert!(
                fsck.status.success() && said.lines().all(|l| l.starts_with("notice:")),
                "{said}"
            );
        }
        // What git wrote (compressed) is taken as it is, and so is a whole object of ours.
        std::fs::write(dir.path().join("other.txt"), "other\n").unwrap();
        let hashed = git(dir.path(), &["hash-object", "-w", "other.txt"]);
        let hex = String::from_utf8(hashed.stdout).unwrap();
        let theirs = git_dir
            .join("objects")
            .join(&hex[..2])
            .join(hex[2..].trim());
        let bytes = std::fs::read(&theirs).unwrap();
        let mut store = Store::existing(&git_dir);
        store.write(Kind::Blob, b"other\n").unwrap();
        store.write(Kind::Blob, b"hello\n").unwrap();
        assert_eq!(std::fs::read(&theirs).unwrap(), bytes);
        assert!(
            !std::fs::read_dir(path.parent().unwrap()).unwrap().any(|e| e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(TEMPORARY))
        );
    }

    #[test]
    fn folders_sort_as_if_they_ended_in_a_slash() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("objects")).unwrap();
        let mut store = Store::new(dir.path());
        let id = store.write(Kind::Blob, b"").unwrap();
        let mut entries = [
            Entry {
                name: "a.b",
                mode: Mode::File,
                id,
            },
            Entry {
                name: "a",
                mode: Mode::Folder,
                id,
            },
            Entry {
                name: "a-",
                mode: Mode::File,
                id,
            },
        ];
        store.tree(&mut entries).unwrap();
        let names: Vec<&str> = entries.iter().map(|e| e.name).collect();
        // '-' (0x2d) < '.' (0x2e) < '/' (0x2f): "a/" sorts after "a-" and "a.b".
        assert_eq!(names, ["a-", "a.b", "a"]);
    }
}

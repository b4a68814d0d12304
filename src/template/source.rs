//! Where a template's files come from: embedded in the binary, or a folder on disk. Both give
//! the same list of files (template-relative `/` paths, bytes, executable bit).

use std::borrow::Cow;
use std::path::PathBuf;

use include_dir::{Dir, include_dir};

use crate::error::{Error, Result};
use crate::plan::Contents;
use crate::template::{MANIFEST_FILE, TREE_DIR};

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/template");

pub enum Source {
    Builtin(&'static Dir<'static>),
    Folder(PathBuf),
}

pub struct SourceFile {
    /// Relative to the tree folder, `/`-separated, possibly holding `{{ … }}`.
    pub path: String,
    /// An embedded file's bytes, or a folder template's file, read only when needed.
    pub contents: Contents,
    pub executable: bool,
}

impl Source {
    pub fn builtin(name: &str) -> Option<Self> {
        BUILTIN
            .get_dir(name)
            .filter(|dir| dir.get_file(dir.path().join(MANIFEST_FILE)).is_some())
            .map(Source::Builtin)
    }

    pub fn builtin_names() -> Vec<&'static str> {
        let mut names: Vec<&str> = BUILTIN
            .dirs()
            .filter(|dir| dir.get_file(dir.path().join(MANIFEST_FILE)).is_some())
            .filter_map(|dir| dir.path().to_str())
            .collect();
        names.sort_unstable();
        names
    }

    /// The manifest's display name and text.
    pub fn manifest_text(&self) -> Result<(String, String)> {
        match self {
            Source::Builtin(dir) => {
                let file = dir
                    .get_file(dir.path().join(MANIFEST_FILE))
                    .expect("checked in `builtin`");
                let text = file.contents_utf8().expect("built-in manifests are UTF-8");
                Ok((
                    format!("built-in template {}", file.path().display()),
                    text.to_string(),
                ))
            }
            Source::Folder(root) => {
                let path = root.join(MANIFEST_FILE);
                let text = read_utf8(&path)?;
                Ok((path.display().to_string(), text))
            }
        }
    }

    /// Every file of the tree, sorted by path.
    pub fn files(&self) -> Result<Vec<SourceFile>> {
        self.files_of(TREE_DIR)
    }

    /// Whether the template has a folder `name` beside its manifest.
    pub fn has_folder(&self, name: &str) -> bool {
        match self {
            Source::Builtin(dir) => dir.get_dir(dir.path().join(name)).is_some(),
            Source::Folder(root) => root.join(name).is_dir(),
        }
    }

    /// Every file of the folder `name` beside the manifest (the tree, or a layer), sorted by
    /// path, with paths relative to that folder.
    pub fn files_of(&self, name: &str) -> Result<Vec<SourceFile>> {
        let mut files = match self {
            Source::Builtin(dir) => {
                let mut out = Vec::new();
                if let Some(tree) = dir.get_dir(dir.path().join(name)) {
                    collect_embedded(tree, tree.path(), &mut out);
                }
                out
            }
            Source::Folder(root) => read_folder(&root.join(name))?,
        };
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }
}

/// A template folder's text file, which must be UTF-8.
pub fn read_utf8(path: &std::path::Path) -> Result<String> {
    let bytes = fs_err::read(path)?;
    String::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })
}

fn collect_embedded(dir: &'static Dir<'static>, base: &std::path::Path, out: &mut Vec<SourceFile>) {
    for file in dir.files() {
        let relative = file
            .path()
            .strip_prefix(base)
            .expect("files live below their tree");
        out.push(SourceFile {
            path: slash_path(relative),
            contents: Contents::Bytes(Cow::Borrowed(file.contents())),
            executable: false,
        });
    }
    for sub in dir.dirs() {
        collect_embedded(sub, base, out);
    }
}

fn read_folder(tree: &std::path::Path) -> Result<Vec<SourceFile>> {
    if !tree.is_dir() {
        return Err(Error::Manifest {
            file: tree.display().to_string(),
            problems: vec![format!(
                "the template's files must be in a `{TREE_DIR}/` folder beside {MANIFEST_FILE}"
            )],
        });
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(tree).follow_links(false) {
        let entry = entry.map_err(|e| Error::Io(e.into()))?;
        if entry.file_type().is_symlink() {
            return Err(Error::TemplateSymlink {
                path: entry.path().to_path_buf(),
            });
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(tree)
            .expect("walkdir stays below its root");
        if relative.to_str().is_none() {
            return Err(Error::TemplatePathNotUtf8 {
                path: entry.path().to_path_buf(),
            });
        }
        let meta = entry.metadata().map_err(|e| Error::Io(e.into()))?;
        out.push(SourceFile {
            path: slash_path(relative),
            contents: Contents::File {
                path: entry.path().to_path_buf(),
                len: meta.len(),
            },
            executable: is_executable(&meta),
        });
    }
    Ok(out)
}

fn slash_path(path: &std::path::Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_meta: &std::fs::Metadata) -> bool {
    false
}

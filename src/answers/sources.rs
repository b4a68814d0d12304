//! The answer sources that exist before any question is asked: `--set` flags, the user config,
//! and reading a text file for either kind of TOML.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// Raw answers from one source, not yet checked against a template.
pub type RawAnswers = BTreeMap<String, toml::Value>;

/// Parse `--set KEY=VALUE` arguments. Values stay text; the variable's type reads them later.
/// A key given twice is refused: which one was meant cannot be guessed.
pub fn parse_set_flags(flags: &[String]) -> Result<BTreeMap<String, String>> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for flag in flags {
        let Some((key, value)) = flag.split_once('=') else {
            return Err(Error::SetWithoutEquals { flag: flag.clone() });
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(Error::SetEmptyKey { flag: flag.clone() });
        }
        if let Some(first) = out.insert(key.to_string(), value.to_string()) {
            return Err(Error::SetTwice {
                key: key.to_string(),
                first,
                second: value.to_string(),
            });
        }
    }
    Ok(out)
}

/// User-wide defaults: `[defaults]` in `config.toml` of the platform config folder, or the file
/// named by `DAYONE_CONFIG`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    #[serde(default)]
    pub defaults: RawAnswers,
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

impl UserConfig {
    pub fn location() -> Option<PathBuf> {
        if let Some(path) = std::env::var_os("DAYONE_CONFIG").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(path));
        }
        use etcetera::BaseStrategy;
        etcetera::choose_base_strategy()
            .ok()
            .map(|s| s.config_dir().join("dayone").join("config.toml"))
    }

    /// A missing file in the usual place is no config; a missing `DAYONE_CONFIG` file, an
    /// unreadable or a malformed one is an error.
    pub fn load() -> Result<Self> {
        let Some(path) = Self::location() else {
            return Ok(Self::default());
        };
        let named = std::env::var_os("DAYONE_CONFIG").is_some_and(|p| !p.is_empty());
        if !path.exists() && named {
            return Err(Error::PathMissing {
                path,
                expected: "DAYONE_CONFIG names the user config file; create it or unset DAYONE_CONFIG",
            });
        }
        if !path.exists() {
            return Ok(Self::default());
        }
        let text = read_text(&path)?;
        let mut config: UserConfig = toml::from_str(&text)
            .map_err(|err| Error::toml(&path.display().to_string(), &text, &err))?;
        config.path = Some(path);
        Ok(config)
    }
}

/// A UTF-8 text file the user named; a missing one, or a folder, is bad input, not an I/O
/// failure.
pub fn read_text(path: &Path) -> Result<String> {
    if path.is_dir() {
        return Err(Error::FolderNotFile {
            path: path.to_path_buf(),
        });
    }
    // A FIFO or a device would block the read or never end: only regular files are read.
    if path.exists() && !path.is_file() {
        return Err(Error::NotARegularFile {
            path: path.to_path_buf(),
        });
    }
    let bytes = fs_err::read(path).map_err(|err| {
        if err.kind() == std::io::ErrorKind::NotFound {
            Error::PathMissing {
                path: path.to_path_buf(),
                expected: "check the path",
            }
        } else {
            Error::Io(err)
        }
    })?;
    String::from_utf8(bytes).map_err(|err| Error::NotUtf8 {
        path: path.to_path_buf(),
        offset: err.utf8_error().valid_up_to(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_flags_need_equals_a_key_and_each_key_once() {
        let err = parse_set_flags(&["api".into()]).unwrap_err().to_string();
        assert!(err.contains("--set KEY=VALUE"), "{err}");
        let err = parse_set_flags(&["=x".into()]).unwrap_err().to_string();
        assert!(err.contains("empty KEY"), "{err}");
        let err = parse_set_flags(&["api=true".into(), "api=false".into()])
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "--set api is given twice (`true` and `false`); pass each variable once"
        );
        let parsed = parse_set_flags(&["a=b=c".into()]).unwrap();
        assert_eq!(parsed["a"], "b=c");
    }
}

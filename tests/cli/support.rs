//! A test environment: a temporary HOME and config dir, so no developer's git or dayone
//! configuration leaks in, and a builder for running the real binary inside it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub struct TestEnv {
    root: TempDir,
}

impl TestEnv {
    pub fn new() -> Self {
        let root = tempfile::tempdir().expect("create temp dir");
        for dir in ["home", "config", "work"] {
            std::fs::create_dir_all(root.path().join(dir)).expect("create test dirs");
        }
        Self { root }
    }

    /// The folder commands run in.
    pub fn work(&self) -> PathBuf {
        self.root.path().join("work")
    }

    pub fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// `$XDG_CONFIG_HOME`; dayone's user config lives in `dayone/config.toml` below it.
    pub fn config_home(&self) -> PathBuf {
        self.root.path().join("config")
    }

    /// Write a file below the work folder, creating parents.
    pub fn write(&self, relative: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.work().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// `dayone ARGS…` in the work folder with an isolated environment and no terminal.
    pub fn dayone<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        Command::from_std(self.std_command(args))
    }

    /// The same command as a plain `std::process::Command`, e.g. to run under a pseudo-terminal.
    pub fn std_command<I, S>(&self, args: I) -> std::process::Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("dayone"));
        cmd.current_dir(self.work())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.config_home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.home().join(".gitconfig"))
            .env("NO_COLOR", "1")
            .args(args);
        cmd
    }
}

/// A small template folder for engine tests: a string with validation, a derived default, a
/// bool, a conditional question and file, a GitHub workflow, a binary file and a script.
pub fn write_fixture_template(env: &TestEnv, dir: &str) -> PathBuf {
    env.write(
        format!("{dir}/template.toml"),
        r#"[template]
name = "fixture"
version = "1.2.3"
directory_variable = "name"
next_steps = "Now: cd {{ name }}"

[[variables]]
name = "name"
prompt = "Project name"
type = "string"
default = "demo"
validate = { regex = "^[a-z][a-z0-9-]*$", message = "lowercase letters, digits and '-'" }

[[variables]]
name = "package"
prompt = "Package"
type = "string"
default = "{{ name | snake_case }}"

[[variables]]
name = "api"
prompt = "Add an API?"
type = "bool"
default = false

[[variables]]
name = "port"
prompt = "API port"
type = "string"
default = "8000"
when = "api"

[[variables]]
name = "flavour"
prompt = "Flavour"
type = "choice"
choices = ["plain", "fancy"]
default = "plain"

[files]
verbatim = ["assets/*.bin"]

[[files.rules]]
when = "api"
paths = ["src/*/api.py"]
"#,
    );
    env.write(
        format!("{dir}/project/README.md"),
        "# {{ name }}\nFlavour: {{ flavour }}\n{% if api %}API on {{ port }}\n{% endif %}",
    );
    env.write(
        format!("{dir}/project/src/{{{{ package }}}}/__init__.py"),
        "NAME = \"{{ name }}\"\n",
    );
    env.write(
        format!("{dir}/project/src/{{{{ package }}}}/api.py"),
        "PORT = {{ port }}\n",
    );
    env.write(
        format!("{dir}/project/.github/workflows/ci.yaml"),
        "name: ci\njobs:\n  test:\n    runs-on: ${{ matrix.os }}\n    name: {{ name }} on ${{ matrix.os }}\n",
    );
    env.write(
        format!("{dir}/project/assets/logo.bin"),
        [0u8, 159, 146, 150, b'{', b'{', 0xff],
    );
    let script = env.write(
        format!("{dir}/project/run.sh"),
        "#!/bin/sh\necho {{ name }}\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    env.work().join(dir)
}

/// Every file below `root` except `.git/`, as sorted (relative path, bytes) pairs.
pub fn tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// Names of the entries directly in `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The built-in template's version, as its manifest says, so tests need no edit when it moves.
pub fn mlops_version() -> String {
    let manifest: toml::Table =
        toml::from_str(include_str!("../../template/mlops/template.toml")).unwrap();
    manifest["template"]["version"]
        .as_str()
        .unwrap()
        .to_string()
}

//! How the code presents itself: type hints and docstrings on the important functions, and
//! the command lines and project tasks that run it.

use super::paths::{is_script_path, is_task_package_path};
use super::pipeline::{DATA_MODULES, MODEL_MODULES, TRAIN_MODULES, module_stem};
use super::{Context, Detection, Evidence, Scope};
use crate::check::plural;

/// The modules a reader opens first: data, model, training, and the API and evaluation.
const MAIN_MODULES: &[&str] = &["api", "app", "main", "evaluate", "predict", "inference"];

/// How many functions, how many with type hints, how many with docstrings.
#[derive(Default)]
struct Counts {
    total: usize,
    typed: usize,
    documented: usize,
}

impl Counts {
    fn add(&mut self, function: &crate::check::python::Function) {
        self.total += 1;
        self.typed += usize::from(function.annotated);
        self.documented += usize::from(function.docstring);
    }

    fn summary(&self) -> String {
        format!(
            "{} of {} {} type hints, {} {} docstrings",
            self.typed,
            plural::count(self.total, "function", "functions"),
            plural::word(self.typed, "has", "have"),
            self.documented,
            plural::word(self.documented, "has", "have"),
        )
    }
}

/// Type hints and docstrings on the important code. Half the package's functions typed and
/// half documented; or, in the main modules (data, model, training, API), the functions that
/// do work mostly documented and partly typed (a quarter), as code is typed bit by bit.
pub fn typing_and_docs(cx: &Context) -> Detection {
    let mut all = Counts::default();
    let mut main = Counts::default();
    // The evidence names the folder holding the code (`src/`, or the package at the top).
    let mut folder: Option<&str> = None;
    for (path, py) in cx.files(Scope::Source) {
        let top = path.split_once('/').map_or(".", |(top, _)| top);
        folder = Some(folder.map_or(top, |f| if f == top { f } else { "." }));
        let stem = module_stem(path);
        let is_main = [DATA_MODULES, MODEL_MODULES, TRAIN_MODULES, MAIN_MODULES]
            .iter()
            .any(|names| names.contains(&stem));
        for function in &py.functions {
            all.add(function);
            if is_main && function.body_statements > 0 {
                main.add(function);
            }
        }
    }
    let folder = format!("{}/", folder.unwrap_or("."));
    if all.total == 0 {
        return Detection::open(
            "write the project's code as functions with type hints and docstrings",
        );
    }
    if all.typed * 2 >= all.total && all.documented * 2 >= all.total {
        return Detection::Done(vec![Evidence::new(folder, all.summary())]);
    }
    let partly_typed = main.typed > 0 && main.typed * 4 >= main.total;
    if main.total >= 2 && main.documented * 2 >= main.total && partly_typed {
        return Detection::Done(vec![Evidence::new(
            folder,
            format!("in the main modules, {}", main.summary()),
        )]);
    }
    Detection::Open {
        hint: "add type hints and a docstring to the functions of the main modules (data, model, training, API)"
            .into(),
        partial: vec![Evidence::new(folder, all.summary())],
    }
}

/// A command line of the project's code (the package or its scripts): a CLI library, a
/// library's own CLI (`LightningCLI`, `HfArgumentParser`), Hydra, or installed scripts.
fn command_lines(cx: &Context) -> Vec<Evidence> {
    let mut cli: Vec<Evidence> = cx
        .python_referring(
            Scope::Code,
            &[
                "typer",
                "click",
                "argparse.ArgumentParser",
                "fire.Fire",
                "hydra.main",
                "jsonargparse",
                "lightning.pytorch.cli.LightningCLI",
                "pytorch_lightning.cli.LightningCLI",
                "transformers.HfArgumentParser",
            ],
            "a command-line interface",
        )
        .into_iter()
        .filter(|e| !is_script_path(&e.path))
        .collect();
    let py = cx.toml("pyproject.toml");
    for (table, shown) in [
        ("project.scripts", "[project.scripts]"),
        ("tool.poetry.scripts", "[tool.poetry.scripts]"),
    ] {
        let scripts: Vec<String> = py
            .as_ref()
            .and_then(|v| table.split('.').try_fold(v, |v, key| v.get(key)))
            .and_then(toml::Value::as_table)
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        if !scripts.is_empty() {
            cli.push(Evidence::new(
                "pyproject.toml",
                format!("{shown} installs {}", scripts.join(", ")),
            ));
        }
    }
    cli
}

/// Invoke tasks in `tasks.py` or a `tasks/` package, as evidence per file.
fn invoke_tasks(cx: &Context) -> Vec<Evidence> {
    cx.files(Scope::Code)
        .filter(|(path, _)| *path == "tasks.py" || is_task_package_path(path))
        .filter(|(_, py)| py.imports("invoke"))
        .filter_map(|(path, py)| {
            let names: Vec<String> = py
                .lines
                .windows(2)
                .filter(|w| w[0].code.starts_with("@task") || w[0].code.starts_with("@invoke.task"))
                .filter_map(|w| {
                    w[1].code
                        .strip_prefix("def ")?
                        .split('(')
                        .next()
                        .map(str::to_string)
                })
                .collect();
            (!names.is_empty()).then(|| {
                Evidence::new(
                    path,
                    format!(
                        "{} ({})",
                        plural::count(names.len(), "invoke task", "invoke tasks"),
                        names.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                    ),
                )
            })
        })
        .collect()
}

pub fn cli_and_tasks(cx: &Context) -> Detection {
    let cli = command_lines(cx);
    let mut tasks = invoke_tasks(cx);
    let mut partial = Vec::new();
    for (name, what) in [
        ("Makefile", "make targets"),
        ("justfile", "just recipes"),
        ("noxfile.py", "nox sessions"),
    ] {
        if !cx.project.exists(name) {
            continue;
        }
        let found = Evidence::new(name, what);
        if cx.is_leftover(&found) {
            partial.push(Evidence::new(
                name,
                "cookiecutter-data-science's Makefile as generated, with no target of the group's",
            ));
        } else {
            tasks.push(found);
        }
    }
    if tasks.is_empty() && !partial.is_empty() {
        return Detection::Open {
            hint: "add the project's own commands (train, evaluate, build the images) as tasks: an invoke tasks.py or targets of your own in the Makefile".into(),
            partial: cli.into_iter().chain(partial).collect(),
        };
    }
    Detection::all_of(vec![
        (
            cli,
            "give the training and evaluation scripts a command line (typer, argparse or click)",
        ),
        (
            tasks,
            "collect the project's commands as tasks (invoke tasks.py, a Makefile or a justfile)",
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::super::Detection;
    use super::super::fixture::{is_done, run};

    /// Partly typed code with docstrings in the main modules is done, even when helper
    /// scripts bring the package's average down.
    #[test]
    fn partly_typed_main_modules_with_docstrings() {
        let data = (
            "src/pkg/data.py",
            "def load(path: str):\n    \"\"\"Load.\"\"\"\n    return read(path)\n\ndef split(x, ratio):\n    \"\"\"Split.\"\"\"\n    return x[:ratio], x[ratio:]\n",
        );
        let model = (
            "src/pkg/model.py",
            "class Net:\n    def forward(self, x):\n        \"\"\"Forward.\"\"\"\n        return x\n\n    def loss(self, x, y):\n        \"\"\"Loss.\"\"\"\n        return x - y\n",
        );
        let helpers = (
            "src/pkg/plots.py",
            "def a(x):\n    return x\n\ndef b(x):\n    return x\n\ndef c(x):\n    return x\n\ndef d(x):\n    return x\n",
        );
        match run("typing_and_docs", &[data, model, helpers]) {
            Detection::Done(ev) => assert_eq!(
                ev[0].detail,
                "in the main modules, 1 of 4 functions has type hints, 4 have docstrings"
            ),
            other => panic!("{other:?}"),
        }
        // Docstrings without a single type hint, or hints without docstrings, are not enough.
        let untyped = (
            "src/pkg/data.py",
            "def load(path):\n    \"\"\"Load.\"\"\"\n    return read(path)\n\ndef split(x, ratio):\n    \"\"\"Split.\"\"\"\n    return x\n",
        );
        assert!(!is_done("typing_and_docs", &[untyped, model, helpers]));
        let undocumented = (
            "src/pkg/train.py",
            "def fit(x: int) -> int:\n    return x\n\ndef step(x: int) -> int:\n    return x\n",
        );
        assert!(!is_done("typing_and_docs", &[undocumented, helpers]));
    }

    /// Tasks kept as an invoke package, command lines in scripts or through a library's own
    /// CLI; cookiecutter-data-science's Makefile as generated is not the group's tasks.
    #[test]
    fn task_packages_script_clis_and_the_ccds_makefile() {
        let package = (
            "tasks/__init__.py",
            "from invoke import Collection, task\n\n@task\ndef train(c):\n    c.run(\"python -m pkg.train\")\n\nns = Collection(train)\n",
        );
        let cli = (
            "scripts/evaluate.py",
            "import argparse\nparser = argparse.ArgumentParser()\n",
        );
        assert!(is_done("cli_and_tasks", &[package, cli]));
        let lightning_cli = (
            "src/pkg/main.py",
            "from lightning.pytorch.cli import LightningCLI\n\ndef main():\n    LightningCLI()\n",
        );
        assert!(is_done("cli_and_tasks", &[package, lightning_cli]));
        let ccds = (
            "Makefile",
            "data: requirements\n\tpython src/data/make_dataset.py data/raw data/processed\n\nrequirements:\n\tpip install -r requirements.txt\n\nsync_data_to_s3:\n\taws s3 sync data/ s3://$(BUCKET)/data/\n",
        );
        match run("cli_and_tasks", &[cli, ccds]) {
            Detection::Open { partial, .. } => assert!(
                partial
                    .iter()
                    .any(|e| e.detail.contains("cookiecutter-data-science")),
                "{partial:?}"
            ),
            other => panic!("{other:?}"),
        }
        let own = format!("{}\ntrain:\n\tpython src/models/train_model.py\n", ccds.1);
        assert!(is_done("cli_and_tasks", &[cli, ("Makefile", own.as_str())]));
    }

    #[test]
    fn typing_and_docs_need_half_the_functions() {
        let good =
            "def a(x: int) -> int:\n    \"\"\"A.\"\"\"\n    return x\n\ndef b(y):\n    return y\n";
        assert!(is_done("typing_and_docs", &[("src/pkg/m.py", good)]));
        let bare = "def a(x):\n    return x\n\ndef b(y):\n    return y\n";
        match run("typing_and_docs", &[("src/pkg/m.py", bare)]) {
            Detection::Open { partial, .. } => assert!(partial[0].detail.starts_with("0 of 2")),
            other => panic!("{other:?}"),
        }
        assert!(!is_done("typing_and_docs", &[]));
    }

    #[test]
    fn cli_and_tasks_need_both() {
        let cli = ("src/pkg/train.py", "import typer\napp = typer.Typer()\n");
        let tasks = (
            "tasks.py",
            "from invoke import task\n\n@task\ndef train(c):\n    c.run(\"python -m pkg.train\")\n",
        );
        assert!(is_done("cli_and_tasks", &[cli, tasks]));
        assert!(!is_done("cli_and_tasks", &[cli]));
        assert!(!is_done("cli_and_tasks", &[tasks]));
        let tasks_without_invoke = ("tasks.py", "def train(c):\n    pass\n");
        assert!(!is_done("cli_and_tasks", &[cli, tasks_without_invoke]));
    }
}

//! The pipeline items of week 1: the data, model and training modules, type hints and
//! docstrings, and the command line and task runner.

use super::{Context, Detection, Evidence, Scope, classes_deriving};
use crate::check::filename::file_name;
use crate::check::plural;
use crate::check::python::PyFile;

/// Module names of the data code: today's course layout (`data.py`) and the older
/// cookiecutter-data-science one (`src/data/make_dataset.py`).
pub const DATA_MODULES: &[&str] = &[
    "data",
    "dataset",
    "datasets",
    "datamodule",
    "make_dataset",
    "load_data",
    "preprocess",
    "preprocessing",
];
/// Module names of the model (`model.py`; `src/models/model.py` in the older layout).
pub const MODEL_MODULES: &[&str] = &["model", "models", "network", "net"];
/// Module names of the training code (`train.py`; `src/models/train_model.py`).
pub const TRAIN_MODULES: &[&str] = &["train", "training", "trainer", "train_model"];

fn substantive(py: &PyFile) -> usize {
    py.lines.iter().filter(|l| l.does_work()).count()
}

/// The project's own module files with one of these stems (`data.py`, `data/__init__.py`).
fn modules<'a>(cx: &'a Context, stems: &'a [&str]) -> impl Iterator<Item = (&'a str, &'a PyFile)> {
    cx.files(Scope::Source).filter(move |(path, _)| {
        let name = file_name(path);
        let stem = if name == "__init__.py" {
            path.rsplit('/').nth(1).unwrap_or("")
        } else {
            name.trim_end_matches(".py")
        };
        stems.contains(&stem)
    })
}

fn definitions(py: &PyFile) -> String {
    let names: Vec<&str> = py
        .classes
        .iter()
        .map(|c| c.name.as_str())
        .chain(
            py.functions
                .iter()
                .map(|f| f.name.as_str())
                .filter(|n| !n.starts_with('_')),
        )
        .take(4)
        .collect();
    names.join(", ")
}

/// The data module fetches and preprocesses the group's data: real code of the group's own,
/// or dayone's template loader left as it is with the group's data tracked by DVC beside it
/// (the template's loader reads `data/raw/`, and draws synthetic data while that is empty).
pub fn data_module(cx: &Context) -> Detection {
    const MIN_STATEMENTS: usize = 5;
    let mut evidence = Vec::new();
    let mut partial = Vec::new();
    let mut template = Vec::new();
    for (path, py) in modules(cx, DATA_MODULES) {
        let statements = substantive(py);
        let stubs = py
            .functions
            .iter()
            .filter(|f| f.body_statements == 0)
            .count();
        let worked = py.functions.iter().any(|f| f.body_statements >= 3);
        // A template's placeholder has methods with only a docstring: mostly stubs.
        if cx.is_template_text(path) {
            template.push(Evidence::new(
                path,
                "still dayone's template, which draws a synthetic dataset while data/raw/ is empty",
            ));
        } else if statements >= MIN_STATEMENTS && worked && stubs * 2 <= py.functions.len() {
            evidence.push(Evidence::new(
                path,
                format!(
                    "defines {} ({})",
                    definitions(py),
                    plural::count(statements, "statement", "statements")
                ),
            ));
        } else if stubs > 0 {
            partial.push(Evidence::new(
                path,
                format!(
                    "{stubs} of {} {} still {}",
                    plural::count(py.functions.len(), "function", "functions"),
                    plural::word(stubs, "is", "are"),
                    plural::word(stubs, "a stub", "stubs"),
                ),
            ));
        } else if let Some(longest) = py.functions.iter().map(|f| f.body_statements).max() {
            // A template's entry point that only logs what it would do is a stub too.
            partial.push(Evidence::new(
                path,
                format!(
                    "still a stub: no function does much yet (the longest has {})",
                    plural::count(longest, "statement", "statements")
                ),
            ));
        }
    }
    if !evidence.is_empty() {
        return Detection::Done(evidence);
    }
    if template.is_empty() {
        return Detection::Open {
            hint: "write the code that fetches and preprocesses the data in src/<package>/data.py (not only stubs)".into(),
            partial,
        };
    }
    let tracked = super::dvc::tracked_data(cx);
    if tracked.is_empty() {
        return Detection::Open {
            hint: "put the group's data in data/raw/ and track it with `dvc add data/raw`, or write the code in data.py that downloads it".into(),
            partial: template,
        };
    }
    Detection::Done(template.into_iter().chain(tracked).collect())
}

pub fn model_and_training(cx: &Context) -> Detection {
    let model: Vec<Evidence> = modules(cx, MODEL_MODULES)
        .flat_map(|(path, py)| classes_deriving(path, py, &["Module", "Model"]))
        .collect();
    let training: Vec<Evidence> = modules(cx, TRAIN_MODULES)
        .filter_map(|(path, py)| {
            let has = |needle: &str| py.code_contains(needle);
            let detail = if has(".fit(") {
                "trains the model (`.fit(`)"
            } else if has(".backward(") && has(".step(") {
                "a training loop (`.backward()` and an optimizer `.step()`)"
            } else {
                return None;
            };
            Some(Evidence::new(path, detail))
        })
        .collect();
    Detection::all_of(vec![
        (
            model,
            "define the model as an nn.Module (or LightningModule) class in src/<package>/model.py",
        ),
        (
            training,
            "write the training loop in src/<package>/train.py (backward + optimizer step, or trainer.fit)",
        ),
    ])
}

pub fn typing_and_docs(cx: &Context) -> Detection {
    let (mut total, mut typed, mut documented) = (0usize, 0usize, 0usize);
    // The evidence names the folder holding the code (`src/`, or the package at the top).
    let mut folder: Option<&str> = None;
    for (path, py) in cx.files(Scope::Source) {
        let top = path.split_once('/').map_or(".", |(top, _)| top);
        folder = Some(folder.map_or(top, |f| if f == top { f } else { "." }));
        for function in &py.functions {
            total += 1;
            typed += usize::from(function.annotated);
            documented += usize::from(function.docstring);
        }
    }
    let summary = Evidence::new(
        format!("{}/", folder.unwrap_or(".")),
        format!(
            "{typed} of {} {} type hints, {documented} {} docstrings",
            plural::count(total, "function", "functions"),
            plural::word(typed, "has", "have"),
            plural::word(documented, "has", "have"),
        ),
    );
    if total == 0 {
        return Detection::open(
            "write the project's code as functions with type hints and docstrings",
        );
    }
    // Half is the bar: "essential parts", not every helper.
    if typed * 2 >= total && documented * 2 >= total {
        Detection::Done(vec![summary])
    } else {
        Detection::Open {
            hint: "add type hints and a docstring to at least half of the functions in the package"
                .into(),
            partial: vec![summary],
        }
    }
}

pub fn cli_and_tasks(cx: &Context) -> Detection {
    let mut cli = cx.python_referring(
        Scope::Source,
        &[
            "typer",
            "click",
            "argparse.ArgumentParser",
            "fire.Fire",
            "hydra.main",
            "jsonargparse",
        ],
        "a command-line interface",
    );
    if let Some(scripts) = cx
        .toml("pyproject.toml")
        .and_then(|v| {
            v.get("project")?
                .get("scripts")?
                .as_table()
                .map(|t| t.keys().cloned().collect::<Vec<_>>())
        })
        .filter(|k| !k.is_empty())
    {
        cli.push(Evidence::new(
            "pyproject.toml",
            format!("[project.scripts] installs {}", scripts.join(", ")),
        ));
    }
    let mut tasks = Vec::new();
    if let Some((path, py)) = cx
        .files(Scope::Code)
        .find(|(path, _)| file_name(path) == "tasks.py")
    {
        let names = py
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
            .collect::<Vec<_>>();
        if py.imports("invoke") && !names.is_empty() {
            tasks.push(Evidence::new(
                path,
                format!(
                    "{} ({})",
                    plural::count(names.len(), "invoke task", "invoke tasks"),
                    names.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
    for (name, what) in [
        ("Makefile", "make targets"),
        ("justfile", "just recipes"),
        ("noxfile.py", "nox sessions"),
    ] {
        if cx.project.exists(name) {
            tasks.push(Evidence::new(name, what));
        }
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

    const DATA: &str = "import torch\n\ndef preprocess(raw, out):\n    \"\"\"Normalise.\"\"\"\n    x = torch.load(raw)\n    x = (x - x.mean()) / x.std()\n    torch.save(x, out)\n    return x\n\nclass Images(torch.utils.data.Dataset):\n    def __init__(self, path):\n        self.x = torch.load(path)\n    def __len__(self):\n        return len(self.x)\n";

    /// The shape of a course-template placeholder: a dataset class whose methods hold only a
    /// docstring, and a function that calls them.
    const PLACEHOLDER: &str = "from pathlib import Path\nimport typer\nfrom torch.utils.data import Dataset\n\nclass Things(Dataset):\n    \"\"\"Things.\"\"\"\n    def __init__(self, path: Path) -> None:\n        self.path = path\n    def __len__(self) -> int:\n        \"\"\"How many.\"\"\"\n    def __getitem__(self, index: int):\n        \"\"\"One.\"\"\"\n    def preprocess(self, out: Path) -> None:\n        \"\"\"Write.\"\"\"\n\ndef preprocess(path: Path, out: Path) -> None:\n    print(\"working\")\n    things = Things(path)\n    things.preprocess(out)\n\nif __name__ == \"__main__\":\n    typer.run(preprocess)\n";

    #[test]
    fn a_placeholder_data_module_is_open_with_its_stubs_named() {
        match run("data_module", &[("src/pkg/data.py", PLACEHOLDER)]) {
            Detection::Open { partial, .. } => {
                assert_eq!(partial[0].detail, "3 of 5 functions are still stubs")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_templates_synthetic_data_module_fetches_nothing_until_data_is_tracked() {
        use super::super::fixture::{DAYONE_TOML, builtin_file};
        let data = builtin_file("src/{{ package_name }}/data.py");
        let template = ("src/pkg/data.py", data.as_str());
        match run("data_module", &[DAYONE_TOML, template]) {
            Detection::Open { hint, partial } => {
                assert!(hint.contains("dvc add data/raw"), "{hint}");
                assert!(partial[0].detail.contains("synthetic"), "{partial:?}");
            }
            other => panic!("{other:?}"),
        }
        // Without .dayone.toml nothing says it is the template's: it is real code.
        assert!(is_done("data_module", &[template]));
        let pointer = ("data/raw.dvc", "outs:\n- md5: abc.dir\n  path: raw\n");
        assert!(is_done("data_module", &[DAYONE_TOML, template, pointer]));
        let own = format!(
            "{data}\n\ndef download(url: str) -> None:\n    \"\"\"Fetch the archive.\"\"\"\n    urllib.request.urlretrieve(url, RAW_DIR / \"leaves.zip\")\n"
        );
        assert!(is_done(
            "data_module",
            &[DAYONE_TOML, ("src/pkg/data.py", own.as_str())]
        ));
    }

    #[test]
    fn data_module_must_have_real_code() {
        assert!(is_done("data_module", &[("src/pkg/data.py", DATA)]));
        let stub =
            "def preprocess():\n    \"\"\"TODO.\"\"\"\n    pass\n\nclass MyDataset:\n    ...\n";
        assert!(!is_done("data_module", &[("src/pkg/data.py", stub)]));
        assert!(!is_done("data_module", &[("tests/data.py", DATA)]));
    }

    #[test]
    fn model_and_training_need_both_files() {
        let model = (
            "src/pkg/model.py",
            "from torch import nn\nclass Net(nn.Module):\n    pass\n",
        );
        let train = (
            "src/pkg/train.py",
            "def train(m, opt, x):\n    loss = m(x).sum()\n    loss.backward()\n    opt.step()\n",
        );
        assert!(is_done("model_and_training", &[model, train]));
        assert!(!is_done("model_and_training", &[model]));
        let no_step = (
            "src/pkg/train.py",
            "def train(m, x):\n    return m(x)  # loss.backward() later\n",
        );
        assert!(!is_done("model_and_training", &[model, no_step]));
        let lightning = (
            "src/pkg/train.py",
            "import lightning as L\ntrainer = L.Trainer()\ntrainer.fit(model)\n",
        );
        assert!(is_done("model_and_training", &[model, lightning]));
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

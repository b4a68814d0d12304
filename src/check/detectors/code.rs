//! Items shown by the project's Python code: the pipeline modules, typing and docs, the CLI,
//! configs and Hydra, profiling, logging and tracking, Lightning, and the week-3 speed-ups.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence, Scope};
use crate::check::project::file_name;
use crate::check::python::{Logical, PyFile};

/// Statements that do work: not imports, docstrings, `pass`, `...` or bare headers.
fn substantive(py: &PyFile) -> usize {
    py.lines
        .iter()
        .filter(|l: &&Logical| {
            let code = l.code.trim();
            !(code.starts_with("import ")
                || code.starts_with("from ")
                || code.starts_with('@')
                || code == "pass"
                || code == "..."
                || l.is_string_only()
                || (code.ends_with(':')
                    && (code.starts_with("def ")
                        || code.starts_with("class ")
                        || code.starts_with("async def "))))
        })
        .count()
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

pub fn data_module(cx: &Context) -> Detection {
    const MIN_STATEMENTS: usize = 5;
    let mut evidence = Vec::new();
    for (path, py) in modules(cx, &["data", "dataset", "datasets", "datamodule"]) {
        let statements = substantive(py);
        if statements >= MIN_STATEMENTS && !(py.functions.is_empty() && py.classes.is_empty()) {
            evidence.push(Evidence::new(
                path,
                format!("defines {} ({statements} statements)", definitions(py)),
            ));
        }
    }
    Detection::from_evidence(
        evidence,
        "write the code that fetches and preprocesses the data in src/<package>/data.py (not only stubs)",
    )
}

pub fn model_and_training(cx: &Context) -> Detection {
    let model: Vec<Evidence> = modules(cx, &["model", "models", "network", "net"])
        .flat_map(|(path, py)| {
            py.classes
                .iter()
                .filter(|c| {
                    c.bases
                        .iter()
                        .any(|b| b.ends_with("Module") || b.ends_with("Model"))
                })
                .map(move |c| {
                    Evidence::at(
                        path,
                        c.line,
                        format!("class {}({})", c.name, c.bases.join(", ")),
                    )
                })
        })
        .collect();
    let training: Vec<Evidence> = modules(cx, &["train", "training", "trainer"])
        .filter_map(|(path, py)| {
            let has = |needle: &str| py.lines.iter().any(|l| l.code.contains(needle));
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
    for (_, py) in cx.files(Scope::Source) {
        for function in &py.functions {
            total += 1;
            typed += usize::from(function.annotated);
            documented += usize::from(function.docstring);
        }
    }
    let summary = Evidence::new(
        "src/",
        format!("{typed} of {total} functions have type hints, {documented} have docstrings"),
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
                    "{} invoke tasks ({})",
                    names.len(),
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

const CONFIG_DIRS: &[&str] = &["configs/", "config/", "conf/"];

fn config_files(cx: &Context) -> Vec<Evidence> {
    cx.project
        .texts(|p| {
            CONFIG_DIRS.iter().any(|d| p.starts_with(d))
                && (p.ends_with(".yaml") || p.ends_with(".yml"))
        })
        .filter_map(|(path, text)| {
            let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).ok()?;
            let keys: Vec<String> = doc
                .as_mapping()?
                .keys()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            (!keys.is_empty()).then(|| {
                Evidence::new(
                    path,
                    format!(
                        "{} settings ({})",
                        keys.len(),
                        keys.iter().take(4).cloned().collect::<Vec<_>>().join(", ")
                    ),
                )
            })
        })
        .collect()
}

pub fn experiment_configs(cx: &Context) -> Detection {
    let mut found = config_files(cx);
    let count = found.len();
    found.truncate(3);
    if count > 3 {
        found.push(Evidence::new(
            CONFIG_DIRS[0],
            format!("and {} more config files", count - 3),
        ));
    }
    Detection::from_evidence(
        found,
        "keep the experiment settings (hyperparameters, paths) in YAML files under configs/",
    )
}

pub fn hydra(cx: &Context) -> Detection {
    let uses = cx.python_referring(
        Scope::Code,
        &[
            "hydra.main",
            "hydra.compose",
            "hydra.initialize",
            "hydra.initialize_config_dir",
        ],
        "loads its configuration with Hydra",
    );
    let mut configs = config_files(cx);
    configs.truncate(1);
    Detection::all_of(vec![
        (
            uses,
            "decorate the entry point with @hydra.main(config_path=…), or use hydra.compose",
        ),
        (
            configs,
            "put the Hydra configs (config.yaml and groups) in configs/",
        ),
    ])
}

static PROFILE_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"-m\s+cProfile|\bsnakeviz\b|\bpy-spy\b|\bscalene\b|\bpyinstrument\b|\bkernprof\b")
        .expect("valid regex")
});

pub fn profiling(cx: &Context) -> Detection {
    let mut evidence = cx.python_referring(
        Scope::Code,
        &[
            "cProfile",
            "torch.profiler",
            "pstats",
            "line_profiler",
            "pyinstrument",
            "scalene",
            "snakeviz",
        ],
        "profiles the code",
    );
    evidence.extend(cx.commands_matching(&PROFILE_COMMAND));
    Detection::from_evidence(
        evidence,
        "profile a training run (cProfile + snakeviz, or torch.profiler) and keep the script or task",
    )
}

pub fn logging(cx: &Context) -> Detection {
    let evidence = cx.python_referring(
        Scope::Source,
        &[
            "loguru.logger",
            "logging.getLogger",
            "logging.basicConfig",
            "logging.config",
            "logging.info",
            "structlog",
        ],
        "logs events",
    );
    Detection::from_evidence(
        evidence,
        "log the important events with the logging module or loguru instead of print()",
    )
}

pub fn wandb(cx: &Context) -> Detection {
    let mut evidence = cx.python_referring(
        Scope::Source,
        &[
            "wandb.log",
            "lightning.pytorch.loggers.WandbLogger",
            "pytorch_lightning.loggers.WandbLogger",
            "lightning.pytorch.loggers.wandb",
        ],
        "logs to Weights & Biases",
    );
    // `run = wandb.init(); run.log(...)` is the other common shape.
    for (path, py) in cx.files(Scope::Source) {
        if evidence.iter().any(|e| e.path == path) {
            continue;
        }
        if let Some(line) = py.refers_to("wandb.init") {
            if py
                .lines
                .iter()
                .any(|l| l.code.contains(".log(") || l.code.contains(".log_artifact("))
            {
                evidence.push(Evidence::at(
                    path,
                    line,
                    "starts a Weights & Biases run and logs to it (`wandb.init`)",
                ));
            }
        }
    }
    Detection::from_evidence(
        evidence,
        "import wandb in the training code and log metrics with wandb.log (listing it as a dependency is not enough)",
    )
}

static SWEEP_COMMAND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bwandb\s+(sweep|agent)\b|--multirun\b").expect("valid regex"));

pub fn hyperparameter_sweep(cx: &Context) -> Detection {
    let mut evidence = cx.python_referring(
        Scope::Code,
        &[
            "wandb.sweep",
            "wandb.agent",
            "optuna.create_study",
            "ray.tune",
            "hydra_plugins",
        ],
        "runs a hyperparameter search",
    );
    for (path, text) in cx
        .project
        .texts(|p| p.ends_with(".yaml") || p.ends_with(".yml"))
    {
        let Ok(doc) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) else {
            continue;
        };
        let method = doc.get("method").and_then(|m| m.as_str());
        if matches!(method, Some("grid" | "random" | "bayes")) && doc.get("parameters").is_some() {
            evidence.push(Evidence::new(
                path,
                format!("a W&B sweep ({} search)", method.unwrap_or_default()),
            ));
        } else if doc.get("hydra").and_then(|h| h.get("sweeper")).is_some() {
            evidence.push(Evidence::new(path, "a Hydra sweeper configuration"));
        }
    }
    evidence.extend(cx.commands_matching(&SWEEP_COMMAND));
    Detection::from_evidence(
        evidence,
        "add a sweep config (W&B sweep.yaml, Optuna or a Hydra sweeper) and run it",
    )
}

pub fn lightning(cx: &Context) -> Detection {
    let evidence = cx
        .files(Scope::Code)
        .filter(|(_, py)| py.imports("lightning") || py.imports("pytorch_lightning"))
        .flat_map(|(path, py)| {
            py.classes
                .iter()
                .filter(|c| {
                    c.bases.iter().any(|b| {
                        b.ends_with("LightningModule") || b.ends_with("LightningDataModule")
                    })
                })
                .map(move |c| {
                    Evidence::at(
                        path,
                        c.line,
                        format!("class {}({})", c.name, c.bases.join(", ")),
                    )
                })
        })
        .collect();
    Detection::from_evidence(
        evidence,
        "write the model as a LightningModule and train it with a Lightning Trainer",
    )
}

pub fn distributed_data_loading(cx: &Context) -> Detection {
    let mut evidence = Vec::new();
    for (path, py) in cx.files(Scope::Code) {
        let mut callees = py.local_names("torch.utils.data.DataLoader");
        callees.push("DataLoader".to_string());
        for callee in &callees {
            for (line, args) in py.calls(callee) {
                let workers = args.split(',').find_map(|a| {
                    let (key, value) = a.split_once('=')?;
                    (key.trim() == "num_workers").then(|| value.trim().to_string())
                });
                if let Some(workers) = workers.filter(|w| w != "0") {
                    evidence.push(Evidence::at(
                        path,
                        line,
                        format!("DataLoader with num_workers={workers}"),
                    ));
                }
            }
        }
    }
    evidence.dedup();
    Detection::from_evidence(
        evidence,
        "load batches in parallel: DataLoader(..., num_workers=N) with N > 0",
    )
}

static DISTRIBUTED_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\btorchrun\b|\baccelerate\s+launch\b|torch\.distributed\.launch")
        .expect("valid regex")
});

pub fn distributed_training(cx: &Context) -> Detection {
    let mut evidence = cx.python_referring(
        Scope::Code,
        &[
            "torch.nn.parallel.DistributedDataParallel",
            "torch.distributed.init_process_group",
            "torch.nn.DataParallel",
            "accelerate.Accelerator",
        ],
        "trains on several devices",
    );
    for (path, py) in cx.files(Scope::Code) {
        if !(py.imports("lightning") || py.imports("pytorch_lightning")) {
            continue;
        }
        for callee in ["Trainer", "L.Trainer", "pl.Trainer"] {
            for (line, args) in py.calls(callee) {
                if args.contains("ddp") || args.contains("fsdp") || args.contains("deepspeed") {
                    evidence.push(Evidence::at(
                        path,
                        line,
                        "a Lightning Trainer with a distributed strategy",
                    ));
                }
            }
        }
    }
    evidence.extend(cx.commands_matching(&DISTRIBUTED_COMMAND));
    Detection::from_evidence(
        evidence,
        "train with DistributedDataParallel (torchrun) or a Lightning Trainer with strategy=\"ddp\"",
    )
}

pub fn model_optimization(cx: &Context) -> Detection {
    let mut evidence = Vec::new();
    for (what, names) in [
        (
            "compiles the model",
            &[
                "torch.compile",
                "torch.jit.script",
                "torch.jit.trace",
                "torch.export",
            ][..],
        ),
        (
            "quantizes the model",
            &["torch.quantization", "torch.ao.quantization"][..],
        ),
        ("prunes the model", &["torch.nn.utils.prune"][..]),
    ] {
        evidence.extend(cx.python_referring(Scope::Code, names, what));
    }
    Detection::from_evidence(
        evidence,
        "try torch.compile, torch.ao.quantization.quantize_dynamic or torch.nn.utils.prune on the trained model",
    )
}

#[cfg(test)]
mod tests {
    use super::super::Detection;
    use super::super::fixture::{is_done, run};

    const DATA: &str = "import torch\n\ndef preprocess(raw, out):\n    \"\"\"Normalise.\"\"\"\n    x = torch.load(raw)\n    x = (x - x.mean()) / x.std()\n    torch.save(x, out)\n    return x\n\nclass Images(torch.utils.data.Dataset):\n    def __init__(self, path):\n        self.x = torch.load(path)\n    def __len__(self):\n        return len(self.x)\n";

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

    #[test]
    fn hydra_needs_the_decorator_and_configs() {
        let entry = (
            "src/pkg/train.py",
            "import hydra\n\n@hydra.main(config_path=\"../../configs\", config_name=\"config\", version_base=None)\ndef main(cfg):\n    pass\n",
        );
        let config = ("configs/config.yaml", "lr: 0.001\nbatch_size: 32\n");
        assert!(is_done("hydra", &[entry, config]));
        assert!(!is_done("hydra", &[entry]));
        assert!(!is_done(
            "hydra",
            &[
                ("src/pkg/train.py", "# import hydra\nx = 'hydra.main'\n"),
                config
            ]
        ));
        assert!(is_done("experiment_configs", &[config]));
        assert!(!is_done(
            "experiment_configs",
            &[("configs/empty.yaml", "")]
        ));
    }

    #[test]
    fn profiling_logging_and_sweeps() {
        assert!(is_done(
            "profiling",
            &[(
                "src/pkg/train.py",
                "import cProfile\ncProfile.run('main()')\n"
            )]
        ));
        assert!(is_done(
            "profiling",
            &[(
                "tasks.py",
                "c.run('python -m cProfile -o out.prof src/pkg/train.py')\n"
            )]
        ));
        assert!(!is_done(
            "profiling",
            &[("src/pkg/train.py", "# TODO: profile with cProfile\n")]
        ));
        assert!(is_done(
            "logging",
            &[(
                "src/pkg/train.py",
                "import logging\nlog = logging.getLogger(__name__)\n"
            )]
        ));
        assert!(!is_done(
            "logging",
            &[("src/pkg/train.py", "print('loss')\n")]
        ));
        assert!(is_done(
            "hyperparameter_sweep",
            &[(
                "configs/sweep.yaml",
                "method: bayes\nparameters:\n  lr:\n    min: 0.0001\n"
            )]
        ));
        assert!(!is_done(
            "hyperparameter_sweep",
            &[("configs/config.yaml", "method: sgd\n")]
        ));
    }

    #[test]
    fn wandb_must_be_imported_and_logged_in_code() {
        let code = (
            "src/pkg/train.py",
            "import wandb\nwandb.init(project='p')\nwandb.log({'loss': 1})\n",
        );
        assert!(is_done("wandb", &[code]));
        let run_log = (
            "src/pkg/train.py",
            "import wandb\nrun = wandb.init()\nrun.log({'loss': 1})\n",
        );
        assert!(is_done("wandb", &[run_log]));
        let requirement_only = [
            ("requirements.txt", "wandb\n"),
            ("src/pkg/train.py", "print('no tracking')\n"),
        ];
        assert!(!is_done("wandb", &requirement_only));
        let imported_never_logged = ("src/pkg/train.py", "import wandb\n");
        assert!(!is_done("wandb", &[imported_never_logged]));
    }

    #[test]
    fn lightning_needs_a_lightning_module() {
        let module = (
            "src/pkg/model.py",
            "import lightning as L\nclass Net(L.LightningModule):\n    pass\n",
        );
        assert!(is_done("lightning", &[module]));
        assert!(!is_done(
            "lightning",
            &[(
                "src/pkg/model.py",
                "import lightning as L\nclass Net:\n    pass\n"
            )]
        ));
    }

    #[test]
    fn week_three_speedups() {
        let loader = (
            "src/pkg/data.py",
            "from torch.utils.data import DataLoader\nl = DataLoader(ds, batch_size=8, num_workers=4)\n",
        );
        assert!(is_done("distributed_data_loading", &[loader]));
        let serial = (
            "src/pkg/data.py",
            "from torch.utils.data import DataLoader\nl = DataLoader(ds, num_workers=0)\n",
        );
        assert!(!is_done("distributed_data_loading", &[serial]));
        let ddp = (
            "src/pkg/train.py",
            "import lightning as L\nt = L.Trainer(strategy=\"ddp\", devices=2)\n",
        );
        assert!(is_done("distributed_training", &[ddp]));
        assert!(!is_done(
            "distributed_training",
            &[(
                "src/pkg/train.py",
                "import lightning as L\nt = L.Trainer(max_epochs=1)\n"
            )]
        ));
        assert!(is_done(
            "model_optimization",
            &[("src/pkg/api.py", "import torch\nm = torch.compile(m)\n")]
        ));
        assert!(is_done(
            "model_optimization",
            &[(
                "src/pkg/q.py",
                "from torch.ao.quantization import quantize_dynamic\n"
            )]
        ));
        assert!(!is_done(
            "model_optimization",
            &[("src/pkg/api.py", "import torch\nm = torch.load('m.pt')\n")]
        ));
    }
}

//! Experiment items: configuration files and Hydra, Weights & Biases, sweeps and Lightning.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence, Scope, classes_deriving};
use crate::check::filename::file_name;
use crate::check::plural;

/// Folders that hold experiment configs, at the top (`configs/`) or next to the code
/// (`src/config/`, `src/pkg/conf/`, as older course layouts have them).
const CONFIG_DIRS: &[&str] = &["configs", "config", "conf", "cfg", "hparams"];

/// A YAML file in a config folder at any depth, or named like a config (`config.yaml`,
/// `params.yaml`, `hparams.yml`) beside the code; never a workflow or a tool's own file.
pub(super) fn is_config_path(path: &str) -> bool {
    if !(path.ends_with(".yaml") || path.ends_with(".yml")) || path.starts_with(".github/") {
        return false;
    }
    let mut folders = path.split('/').rev().skip(1);
    if folders.any(|folder| CONFIG_DIRS.contains(&folder)) {
        return true;
    }
    let stem = file_name(path).split('.').next().unwrap_or_default();
    path.starts_with("src/") && matches!(stem, "config" | "params" | "hparams" | "hyperparameters")
}

fn config_files(cx: &Context) -> Vec<Evidence> {
    cx.project
        .texts(is_config_path)
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
                        "{} ({})",
                        plural::count(keys.len(), "setting", "settings"),
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
            "configs/",
            format!(
                "and {} more",
                plural::count(count - 3, "config file", "config files")
            ),
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

/// A run started with `mode="offline"` (or an offline default such as
/// `mode=os.environ.get("WANDB_MODE", "offline")`) never reaches W&B by itself.
static OFFLINE_MODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\bmode\s*=.*["'](offline|disabled|dryrun)["']"#).expect("valid regex")
});
/// Something that sends runs to W&B: online mode, a login, a sync of offline runs, an API key.
static ONLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"WANDB_MODE\s*[=:]\s*["']?online|\bwandb\s+(login|sync)\b|\bWANDB_API_KEY\b|\bwandb\.login\("#,
    )
    .expect("valid regex")
});
/// A link to a W&B project or report (`wandb.ai/<entity>/<project>`), not the bare site.
static PROJECT_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"wandb\.ai/[\w.-]+/[\w.-]+").expect("valid regex"));

/// Lines of the project that send W&B runs online: commands, Dockerfile instructions,
/// workflow lines and Python code (never comments), and W&B project links in Markdown.
fn online_tracking(cx: &Context) -> Vec<Evidence> {
    let mut found = cx.commands_matching(&ONLINE);
    for (path, text) in cx.project.texts(|p| {
        super::is_workflow_path(p) || super::docker::is_dockerfile(p) || p.ends_with(".env")
    }) {
        let code_lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim_start().starts_with('#'));
        if let Some((index, line)) = code_lines.into_iter().find(|(_, l)| ONLINE.is_match(l)) {
            found.push(Evidence::at(
                path,
                index + 1,
                format!("sends runs to W&B (`{}`)", super::shorten(line.trim(), 60)),
            ));
        }
    }
    for (path, py) in cx.files(Scope::Code) {
        if let Some(l) = py.lines.iter().find(|l| ONLINE.is_match(&l.text)) {
            found.push(Evidence::at(path, l.line, "logs in to W&B"));
        }
    }
    for (path, text) in cx.project.texts(|p| p.ends_with(".md")) {
        if let Some((index, line)) = text
            .lines()
            .enumerate()
            .find(|(_, l)| PROJECT_LINK.is_match(l))
        {
            let link = PROJECT_LINK.find(line).map_or("", |m| m.as_str());
            found.push(Evidence::at(
                path,
                index + 1,
                format!("links the W&B project {link}"),
            ));
        }
    }
    found
}

/// The item is about runs the group can look at in W&B. Code that logs counts when its runs
/// go online: the code does not force offline mode, or something sends them online.
pub fn wandb(cx: &Context) -> Detection {
    let logging = wandb_logging(cx);
    if logging.is_empty() {
        return Detection::open(
            "import wandb in the training code and log metrics with wandb.log (listing it as a dependency is not enough)",
        );
    }
    let offline_only = logging.iter().all(|e| {
        cx.files(Scope::Source)
            .find(|(path, _)| *path == e.path)
            .is_some_and(|(_, py)| {
                py.lines.iter().any(|l| {
                    (l.code.contains("wandb.init") || l.code.contains("WandbLogger("))
                        && OFFLINE_MODE.is_match(&l.text)
                })
            })
    });
    if !offline_only {
        return Detection::Done(logging);
    }
    let online = online_tracking(cx);
    if online.is_empty() {
        return Detection::Open {
            hint: "the runs are offline by default, so W&B never sees them: `wandb login`, train with WANDB_MODE=online (or `wandb sync` the offline runs), and keep that in a task or workflow".into(),
            partial: logging,
        };
    }
    Detection::Done(logging.into_iter().chain(online).collect())
}

/// Python files that log to W&B, one piece of evidence each.
fn wandb_logging(cx: &Context) -> Vec<Evidence> {
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
        if let Some(line) = py.refers_to("wandb.init")
            && (py.code_contains(".log(") || py.code_contains(".log_artifact("))
        {
            evidence.push(Evidence::at(
                path,
                line,
                "starts a Weights & Biases run and logs to it (`wandb.init`)",
            ));
        }
    }
    evidence
}

/// A sweep started from the command line: W&B's, or Hydra's multirun (`--multirun`, or `-m`
/// before overrides with several values: `-m lr=1e-3,1e-4`).
static SWEEP_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)\bwandb\s+(sweep|agent)\b|--multirun\b|\s-m\s+([\w./+~@-]+=(?u:\S*)\s+)*[\w./+~@-]+=(?u:[^\s,]*),(?u:\S)",
    )
    .expect("valid regex")
});

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
        } else if doc.get("hydra").and_then(|h| h.get("sweeper")).is_some() || sweeper_default(&doc)
        {
            evidence.push(Evidence::new(path, "a Hydra sweeper configuration"));
        }
    }
    evidence.extend(cx.commands_matching(&SWEEP_COMMAND));
    evidence.extend(cx.documented_matching(&SWEEP_COMMAND));
    Detection::from_evidence(
        evidence,
        "add a sweep config (W&B sweep.yaml, Optuna or a Hydra sweeper) and run it",
    )
}

/// A Hydra config choosing a sweeper plugin in its defaults (`- override hydra/sweeper: optuna`).
fn sweeper_default(doc: &serde_yaml_ng::Value) -> bool {
    doc.get("defaults")
        .and_then(|d| d.as_sequence())
        .into_iter()
        .flatten()
        .any(|entry| {
            entry
                .as_mapping()
                .into_iter()
                .flat_map(|m| m.keys())
                .chain(std::iter::once(entry))
                .filter_map(|v| v.as_str())
                .any(|key| key.contains("hydra/sweeper"))
        })
}

pub fn lightning(cx: &Context) -> Detection {
    let evidence = cx
        .files(Scope::Code)
        .filter(|(_, py)| py.imports("lightning") || py.imports("pytorch_lightning"))
        .flat_map(|(path, py)| {
            classes_deriving(path, py, &["LightningModule", "LightningDataModule"])
        })
        .collect();
    Detection::from_evidence(
        evidence,
        "write the model as a LightningModule and train it with a Lightning Trainer",
    )
}

#[cfg(test)]
mod tests {
    use super::super::Detection;
    use super::super::fixture::{is_done, run};

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
        // Older layouts keep configs next to the code.
        for path in [
            "src/config/train.yaml",
            "src/pkg/conf/model.yml",
            "src/config.yaml",
        ] {
            assert!(
                is_done("experiment_configs", &[(path, "lr: 0.1\n")]),
                "{path}"
            );
        }
        assert!(!is_done(
            "experiment_configs",
            &[(".github/workflows/config.yaml", "on: push\n")]
        ));
        assert!(!is_done(
            "experiment_configs",
            &[("docs/mkdocs.yaml", "site_name: x\n")]
        ));
        assert!(!is_done(
            "experiment_configs",
            &[("configs/empty.yaml", "")]
        ));
    }

    #[test]
    fn sweeps_in_config_files() {
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

    /// Hydra sweeps run from the command line (documented in the README or docs too), or a
    /// sweeper chosen in a config's defaults.
    #[test]
    fn hydra_multirun_sweeps_and_sweeper_defaults() {
        let readme = (
            "README.md",
            "## Sweep\n\n```bash\npython src/pkg/train.py -m optimizer.lr=1e-3,1e-4 model.dropout=0.1,0.3\n```\n\n| lr | accuracy |\n| --- | --- |\n| 1e-3 | 0.91 |\n",
        );
        assert!(is_done("hyperparameter_sweep", &[readme]));
        let module_run = (
            "README.md",
            "```bash\npython -m pkg.train optimizer.lr=1e-3\n```\n",
        );
        assert!(!is_done("hyperparameter_sweep", &[module_run]));
        let defaults = (
            "configs/sweep.yaml",
            "defaults:\n  - config\n  - override hydra/sweeper: optuna\n\nhydra:\n  mode: MULTIRUN\n",
        );
        assert!(is_done("hyperparameter_sweep", &[defaults]));
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
    fn wandb_runs_that_stay_offline_are_not_tracking() {
        let offline = (
            "src/pkg/train.py",
            "import os\nimport wandb\nrun = wandb.init(project='p', mode=os.environ.get('WANDB_MODE', 'offline'))\nrun.log({'loss': 1})\n",
        );
        let dockerfile = (
            "dockerfiles/train.dockerfile",
            "FROM python:3.12\n# pass -e WANDB_MODE=online -e WANDB_API_KEY=... to upload\nENV WANDB_MODE=offline\n",
        );
        let readme = (
            "README.md",
            "Runs stay in wandb/ until you set `WANDB_MODE=online`; see https://wandb.ai.\n",
        );
        match run("wandb", &[offline, dockerfile, readme]) {
            Detection::Open { hint, partial } => {
                assert!(hint.contains("offline"), "{hint}");
                assert_eq!(partial[0].path, "src/pkg/train.py");
            }
            other => panic!("{other:?}"),
        }
        let task = (
            "tasks.py",
            "@task\ndef train(c):\n    c.run('WANDB_MODE=online python -m pkg.train')\n",
        );
        assert!(is_done("wandb", &[offline, task]));
        let workflow = (
            ".github/workflows/train.yaml",
            "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    env:\n      WANDB_API_KEY: ${{ secrets.WANDB_API_KEY }}\n    steps:\n      - run: python -m pkg.train\n",
        );
        assert!(is_done("wandb", &[offline, workflow]));
        let link = ("README.md", "Our runs: https://wandb.ai/team/leaf-doctor\n");
        assert!(is_done("wandb", &[offline, link]));
        let forced = (
            "src/pkg/train.py",
            "import wandb\nwandb.init(project='p', mode='offline')\nwandb.log({'loss': 1})\n",
        );
        assert!(!is_done("wandb", &[forced]));
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
}

//! Instrumenting the code: profiling it, and logging its important events.

use std::sync::LazyLock;

use regex::Regex;

use super::tracking::is_config_path;
use super::{Context, Detection, Evidence, Scope};

static PROFILE_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"-m\s+cProfile|\bsnakeviz\b|\bpy-spy\b|\bscalene\b|\bpyinstrument\b|\bkernprof\b")
        .expect("valid regex")
});

/// Profilers a Lightning Trainer takes by name.
const LIGHTNING_PROFILERS: &[&str] = &["simple", "advanced", "pytorch", "xla"];

/// A Lightning Trainer given a profiler (`Trainer(profiler="simple")`), in a file importing
/// Lightning: profiling through the library's own machinery.
fn trainer_profilers(cx: &Context) -> Vec<Evidence> {
    let mut found = Vec::new();
    for (path, py) in cx.files(Scope::Code) {
        if !(py.imports("lightning") || py.imports("pytorch_lightning")) {
            continue;
        }
        let calls = ["Trainer", "L.Trainer", "pl.Trainer"]
            .into_iter()
            .flat_map(|callee| py.calls(callee));
        for (line, args) in calls {
            let profiler = crate::check::python::split_top_level(&args)
                .into_iter()
                .find_map(|arg| {
                    let (key, value) = arg.split_once('=')?;
                    (key.trim() == "profiler").then(|| value.trim().to_string())
                });
            if let Some(value) =
                profiler.filter(|v| !matches!(v.as_str(), "None" | "False" | "\"\"" | "''"))
            {
                found.push(Evidence::at(
                    path,
                    line,
                    format!("profiles training with Lightning's profiler (`profiler={value}`)"),
                ));
            }
        }
    }
    found
}

/// A config (Hydra's, say) that turns a trainer's profiler on: a `profiler` key naming one of
/// Lightning's profilers, or instantiating a profiler class (`_target_: …Profiler`).
fn profiler_configs(cx: &Context) -> Vec<Evidence> {
    fn profiler(value: &serde_yaml_ng::Value, depth: usize) -> Option<String> {
        let map = value.as_mapping()?;
        for (key, value) in map {
            if key.as_str() == Some("profiler") {
                if let Some(name) = value.as_str().filter(|n| LIGHTNING_PROFILERS.contains(n)) {
                    return Some(name.to_string());
                }
                let target = value.get("_target_").and_then(|t| t.as_str());
                if let Some(target) = target.filter(|t| t.contains("Profiler")) {
                    return Some(target.to_string());
                }
            } else if depth < 3
                && let Some(found) = profiler(value, depth + 1)
            {
                return Some(found);
            }
        }
        None
    }
    cx.project
        .texts(is_config_path)
        .filter(|(_, text)| text.contains("profiler"))
        .filter_map(|(path, text)| {
            let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).ok()?;
            let name = profiler(&doc, 0)?;
            Some(Evidence::new(
                path,
                format!("configures the trainer's profiler ({name})"),
            ))
        })
        .collect()
}

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
            "lightning.pytorch.profilers",
            "pytorch_lightning.profilers",
            "pytorch_lightning.profiler",
        ],
        "profiles the code",
    );
    evidence.extend(trainer_profilers(cx));
    evidence.extend(profiler_configs(cx));
    evidence.extend(cx.commands_matching(&PROFILE_COMMAND));
    Detection::from_evidence(
        evidence,
        "profile a training run (cProfile + snakeviz, or torch.profiler) and keep the script or task",
    )
}

/// The levels a logger is called with.
const LOG_LEVELS: &[&str] = &[
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "log",
    "success",
];

/// A logger got by name and called at once: `logging.getLogger(__name__).info(`.
static CHAINED_LOG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)get_?[lL]ogger\((?u:[^()]*)\)\.(debug|info|warning|warn|error|exception|critical)\(",
    )
    .expect("valid regex")
});

/// The first line of `py` that emits a log record, and the call that does: a call at a level
/// on the logging module, on a logger got from it (or from structlog), or on loguru's logger.
/// Getting or configuring a logger (`getLogger("lightning").setLevel(…)`, `basicConfig`)
/// emits nothing.
fn log_call(py: &crate::check::python::PyFile) -> Option<(usize, String)> {
    if !py.code_contains("log") {
        return None;
    }
    let mut loggers: Vec<String> = ["logging", "loguru.logger", "structlog"]
        .iter()
        .flat_map(|module| py.local_names(module))
        .collect();
    for line in &py.lines {
        let Some((target, value)) = line.code.split_once('=') else {
            continue;
        };
        let target = target.trim();
        let plain = !target.is_empty()
            && target
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
        if plain && (value.contains("getLogger(") || value.contains("get_logger(")) {
            loggers.push(target.to_string());
        }
    }
    let calls: Vec<String> = loggers
        .iter()
        .flat_map(|logger| {
            LOG_LEVELS
                .iter()
                .map(move |level| format!("{logger}.{level}"))
        })
        .filter(|call| py.code_contains(&format!("{call}(")))
        .collect();
    let chained = py.code_contains("ogger(");
    for line in &py.lines {
        if let Some(found) = CHAINED_LOG.find(&line.code).filter(|_| chained) {
            return Some((line.line, found.as_str().trim_end_matches('(').to_string()));
        }
        let call = calls.iter().find(|call| {
            crate::check::python::contains_word(&line.code, call)
                && line.code.contains(&format!("{call}("))
        });
        if let Some(call) = call {
            return Some((line.line, call.clone()));
        }
    }
    None
}

/// Logging of important events: the package's code emits log records (the logging module,
/// loguru or structlog). `print` and a metrics logger (W&B, TensorBoard, Lightning's
/// `self.log`) are not event logging, nor is quietening a library's logger.
pub fn logging(cx: &Context) -> Detection {
    let evidence: Vec<Evidence> = cx
        .files(Scope::Source)
        .filter_map(|(path, py)| {
            let (line, call) = log_call(py)?;
            Some(Evidence::at(path, line, format!("logs events (`{call}`)")))
        })
        .collect();
    Detection::from_evidence(
        evidence,
        "log the important events with the logging module or loguru (`logger.info(…)`) instead of print()",
    )
}

#[cfg(test)]
mod tests {
    use super::super::Detection;
    use super::super::fixture::{is_done, run};

    #[test]
    fn profilers_and_loggers_in_code_and_tasks() {
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
                "import logging\nlog = logging.getLogger(__name__)\n\ndef train():\n    log.info(\"epoch done\")\n"
            )]
        ));
        assert!(!is_done(
            "logging",
            &[("src/pkg/train.py", "print('loss')\n")]
        ));
    }

    /// Profiling through Lightning's Trainer, in code or in a Hydra config.
    #[test]
    fn profiling_through_the_trainer_or_its_config() {
        let code = (
            "src/pkg/train.py",
            "import lightning as L\n\ntrainer = L.Trainer(max_epochs=3, profiler=\"simple\")\n",
        );
        match run("profiling", &[code]) {
            Detection::Done(ev) => assert_eq!(
                ev[0].detail,
                "profiles training with Lightning's profiler (`profiler=\"simple\"`)"
            ),
            other => panic!("{other:?}"),
        }
        let off = (
            "src/pkg/train.py",
            "import lightning as L\n\ntrainer = L.Trainer(max_epochs=3, profiler=None)\n",
        );
        assert!(!is_done("profiling", &[off]));
        let config = (
            "configs/trainer/profile.yaml",
            "max_epochs: 1\nprofiler: advanced\n",
        );
        assert!(is_done("profiling", &[config]));
        let pytorch = (
            "configs/trainer/default.yaml",
            "trainer:\n  profiler:\n    _target_: lightning.pytorch.profilers.PyTorchProfiler\n",
        );
        assert!(is_done("profiling", &[pytorch]));
        assert!(!is_done(
            "profiling",
            &[(
                "configs/trainer/default.yaml",
                "max_epochs: 1\nprofiler: null\n"
            )]
        ));
    }

    /// `print` plus a metrics logger is not logging events, nor is quietening a library.
    #[test]
    fn logging_means_emitting_log_records() {
        let metrics = (
            "src/pkg/train.py",
            "import logging\nimport wandb\n\nlogging.getLogger(\"lightning.pytorch\").setLevel(logging.WARNING)\n\ndef train(model):\n    print(\"epoch done\")\n    wandb.log({\"loss\": 1.0})\n    model.log(\"val_loss\", 0.5)\n",
        );
        assert!(!is_done("logging", &[metrics]));
        for emits in [
            "from loguru import logger\n\ndef train():\n    logger.info(\"start\")\n",
            "import logging\n\ndef train():\n    logging.info(\"start\")\n",
            "import logging\n\nclass T:\n    def __init__(self):\n        self.log = logging.getLogger(__name__)\n\n    def run(self):\n        self.log.warning(\"slow\")\n",
            "import logging\n\ndef train():\n    logging.getLogger(__name__).info(\"start\")\n",
        ] {
            assert!(
                is_done("logging", &[("src/pkg/train.py", emits)]),
                "{emits}"
            );
        }
    }
}

//! The week-3 performance items: parallel data loading, distributed training, and
//! compiling, quantizing or pruning the model.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence, Scope};
use crate::check::python::{PyFile, contains_word};

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

/// A condition reading an option: `args.torchcompile`, `cfg.train.compile`, `self.hparams.quantize`.
static OPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)\b(?:args|opts|options|cfg|config|conf|hparams|params)(?:\.\w+)*\.(\w+)")
        .expect("valid regex")
});

/// The option a line's work depends on: the condition of the `if` it sits in (or of its own
/// `… if args.x else …`), when that reads an option.
fn guarding_option(py: &PyFile, index: usize) -> Option<String> {
    let line = &py.lines[index];
    let own = line
        .code
        .split_once(" if ")
        .and_then(|(_, condition)| OPTION.captures(condition));
    if let Some(option) = own {
        return Some(option[1].to_string());
    }
    let header = py.lines[..index]
        .iter()
        .rev()
        .find(|l| l.indent < line.indent)?;
    let condition = header
        .code
        .strip_prefix("if ")
        .or_else(|| header.code.strip_prefix("elif "))?;
    OPTION.captures(condition).map(|c| c[1].to_string())
}

/// True when the option `name` is off unless someone turns it on: an argparse flag with no
/// default, `store_true` or a false default in `py`, or a config setting it false.
fn off_by_default(cx: &Context, py: &PyFile, name: &str) -> bool {
    let flag = format!("--{}", name.replace('_', "-"));
    let plain = format!("--{name}");
    let argparse = py.lines.iter().find(|l| {
        l.text.contains("add_argument(")
            && [&flag, &plain]
                .iter()
                .any(|f| l.text.contains(&format!("\"{f}\"")) || l.text.contains(&format!("'{f}'")))
    });
    if let Some(definition) = argparse {
        let text = definition.text.replace(' ', "");
        return !(text.contains("default=True")
            || text.contains("store_false")
            || (text.contains("default=")
                && !text.contains("default=None")
                && !text.contains("default=False")));
    }
    let setting = Regex::new(&format!(
        r"(?m)^\s*{}\s*:\s*(false|False|null|~|no)\s*$",
        regex::escape(name)
    ))
    .expect("valid regex");
    cx.project
        .texts(|p| p.ends_with(".yaml") || p.ends_with(".yml"))
        .any(|(_, text)| setting.is_match(text))
}

/// True when something the group runs turns the option `name` on: a command line, a
/// documented command or a Dockerfile passing `--name` or `name=true`, or a config giving it
/// a value that is not false.
fn turned_on(cx: &Context, name: &str) -> bool {
    let passed = Regex::new(&format!(
        r"--{dashed}\b|--{name}\b|\b{name}\s*=\s*(true|True|1)\b",
        dashed = regex::escape(&name.replace('_', "-")),
        name = regex::escape(name),
    ))
    .expect("valid regex");
    let configured = |text: &str| {
        text.lines().any(|line| {
            line.trim()
                .strip_prefix(name)
                .and_then(|rest| rest.trim_start().strip_prefix(':'))
                .is_some_and(|value| {
                    !matches!(
                        value.trim(),
                        "" | "false" | "False" | "null" | "~" | "no" | "None"
                    )
                })
        })
    };
    cx.commands
        .iter()
        .chain(&cx.documented)
        .any(|c| passed.is_match(&c.text))
        || cx
            .project
            .texts(super::docker::is_dockerfile)
            .any(|(_, text)| passed.is_match(text))
        || cx
            .project
            .texts(|p| p.ends_with(".yaml") || p.ends_with(".yml"))
            .any(|(_, text)| configured(text))
}

/// The lines of `py` that use `dotted` (through any name it is imported under), or, when
/// none calls it, the import that brings it in.
fn uses(py: &PyFile, dotted: &str) -> Vec<usize> {
    // Most files never refer to it, and that is quick to tell.
    let Some(first) = py.refers_to(dotted) else {
        return Vec::new();
    };
    let names: Vec<String> = py
        .local_names(dotted)
        .into_iter()
        .chain(std::iter::once(dotted.to_string()))
        .collect();
    let found: Vec<usize> = py
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.code.starts_with("import ") && !l.code.starts_with("from "))
        .filter(|(_, l)| names.iter().any(|n| contains_word(&l.code, n)))
        .map(|(index, _)| index)
        .collect();
    if !found.is_empty() {
        return found;
    }
    py.lines
        .iter()
        .position(|l| l.line == first)
        .into_iter()
        .collect()
}

/// Compiling, quantizing or pruning the model in the group's code. Code that only runs
/// behind an option that is off by default and that nothing turns on (a copied training
/// script's `--torchcompile`) has never run, so it is not evidence.
pub fn model_optimization(cx: &Context) -> Detection {
    let mut evidence = Vec::new();
    let mut partial = Vec::new();
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
        for (path, py) in cx.files(Scope::Code) {
            let Some((name, lines)) = names
                .iter()
                .map(|name| (*name, uses(py, name)))
                .find(|(_, lines)| !lines.is_empty())
            else {
                continue;
            };
            let mut off = None;
            let used = lines
                .iter()
                .find(|&&index| match guarding_option(py, index) {
                    Some(option) if off_by_default(cx, py, &option) && !turned_on(cx, &option) => {
                        off.get_or_insert((index, option));
                        false
                    }
                    _ => true,
                });
            match (used, off) {
                (Some(&index), _) => evidence.push(Evidence::at(
                    path,
                    py.lines[index].line,
                    format!("{what} (`{name}`)"),
                )),
                (None, Some((index, option))) => partial.push(Evidence::at(
                    path,
                    py.lines[index].line,
                    format!(
                        "{what} (`{name}`) only behind the option `{option}`, which is off by default and never turned on"
                    ),
                )),
                (None, None) => {}
            }
        }
    }
    if evidence.is_empty() {
        return Detection::Open {
            hint: "try torch.compile, torch.ao.quantization.quantize_dynamic or torch.nn.utils.prune on the trained model".into(),
            partial,
        };
    }
    Detection::Done(evidence)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::is_done;

    /// A copied training script's `--torchcompile` path has never run unless something turns
    /// it on.
    #[test]
    fn optimisation_behind_an_option_nobody_turns_on_is_not_evidence() {
        let script = (
            "src/pkg/train.py",
            "import argparse\nimport torch\n\nparser = argparse.ArgumentParser()\nparser.add_argument('--torchcompile', nargs='?', type=str, default=None, const='inductor')\n\ndef main(args):\n    model = build()\n    if args.torchcompile:\n        model = torch.compile(model, backend=args.torchcompile)\n    return model\n",
        );
        match super::super::fixture::run("model_optimization", &[script]) {
            super::super::Detection::Open { partial, .. } => assert_eq!(
                partial[0].detail,
                "compiles the model (`torch.compile`) only behind the option `torchcompile`, which is off by default and never turned on"
            ),
            other => panic!("{other:?}"),
        }
        for turned_on in [
            (
                "tasks.py",
                "c.run(\"python src/pkg/train.py --torchcompile\")\n",
            ),
            (
                "dockerfiles/train.dockerfile",
                "FROM python:3.12\nENTRYPOINT [\"python\", \"src/pkg/train.py\", \"--torchcompile\", \"inductor\"]\n",
            ),
        ] {
            assert!(
                is_done("model_optimization", &[script, turned_on]),
                "{turned_on:?}"
            );
        }
        // A config option, off in the config and never overridden.
        let hydra = (
            "src/pkg/train.py",
            "import torch\n\ndef main(cfg):\n    model = build()\n    model = torch.compile(model) if cfg.train.compile else model\n",
        );
        let off = ("configs/train/default.yaml", "epochs: 3\ncompile: false\n");
        assert!(!is_done("model_optimization", &[hydra, off]));
        let on = ("configs/train/fast.yaml", "epochs: 3\ncompile: true\n");
        assert!(is_done("model_optimization", &[hydra, off, on]));
        // Without a default that keeps it off, the option is the group's own choice.
        assert!(is_done("model_optimization", &[hydra]));
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

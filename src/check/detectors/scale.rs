//! The week-3 performance items: parallel data loading, distributed training, and
//! compiling, quantizing or pruning the model.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence, Scope};

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
    use super::super::fixture::is_done;

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

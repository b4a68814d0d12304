//! The pipeline items of week 1: the data module, and the model with its training, also
//! through a library's own machinery. Which modules are the data, model and training code.

use std::sync::LazyLock;

use regex::Regex;

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
    "data_module",
    "dataloader",
    "dataloaders",
    "make_dataset",
    "load_data",
    "preprocess",
    "preprocessing",
];
/// Module names of the model (`model.py`; `src/models/model.py` in the older layout).
pub const MODEL_MODULES: &[&str] = &["model", "models", "network", "net"];
/// Module names of the training code (`train.py`; `src/models/train_model.py`).
pub const TRAIN_MODULES: &[&str] = &["train", "training", "trainer", "train_model"];

/// Library calls that fetch a dataset: a data module built on one fetches the data, however
/// short it is.
const DATA_FETCHERS: &[&str] = &[
    "datasets.load_dataset",
    "torchvision.datasets",
    "torch_geometric.datasets",
    "tensorflow_datasets.load",
    "huggingface_hub.hf_hub_download",
    "huggingface_hub.snapshot_download",
    "kagglehub.dataset_download",
    "kaggle.api",
    "gdown.download",
    "urllib.request.urlretrieve",
    "requests.get",
    "torch.hub.download_url_to_file",
];

fn substantive(py: &PyFile) -> usize {
    py.lines.iter().filter(|l| l.does_work()).count()
}

/// A module's name: `data` for `src/pkg/data.py` and for `src/pkg/data/__init__.py`.
pub(super) fn module_stem(path: &str) -> &str {
    let name = file_name(path);
    if name == "__init__.py" {
        path.rsplit('/').nth(1).unwrap_or("")
    } else {
        name.trim_end_matches(".py")
    }
}

/// The project's own module files with one of these stems (`data.py`, `data/__init__.py`).
fn modules<'a>(cx: &'a Context, stems: &'a [&str]) -> impl Iterator<Item = (&'a str, &'a PyFile)> {
    cx.files(Scope::Source)
        .filter(move |(path, _)| stems.contains(&module_stem(path)))
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
        let fetcher = py.first_reference(DATA_FETCHERS);
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
        } else if let Some((name, line)) = fetcher.filter(|_| statements >= 2) {
            // A module built on a library's loader fetches the data in a line or two.
            evidence.push(Evidence::at(
                path,
                line,
                format!("fetches the data with `{name}`"),
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

/// Libraries' trainers: the training loop is theirs, run by `.train()`.
const LIBRARY_TRAINERS: &[&str] = &[
    "transformers.Trainer",
    "transformers.Seq2SeqTrainer",
    "trl.SFTTrainer",
    "setfit.Trainer",
];
/// Calls that build a model from a library (a pretrained network, a zoo's architecture).
const LIBRARY_MODELS: &[&str] = &[
    "timm.create_model",
    "torchvision.models",
    "segmentation_models_pytorch",
    "ultralytics.YOLO",
    "open_clip.create_model_and_transforms",
];
/// nnU-Net: the group's trainer class (deriving nnU-Net's) is the model and the training, run
/// by nnU-Net's command line.
static NNUNET_TRAIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u)\bnnUNet(v2)?_train\b").expect("valid regex"));

/// The training code: `train.py` and the like (also `train_*.py` and fine-tuning scripts).
fn training_modules<'a>(cx: &'a Context) -> impl Iterator<Item = (&'a str, &'a PyFile)> {
    cx.files(Scope::Source).filter(|(path, _)| {
        let stem = module_stem(path);
        TRAIN_MODULES.contains(&stem)
            || stem.starts_with("train_")
            || stem.contains("finetune")
            || stem.contains("fine_tune")
    })
}

/// A model built by a library in `py`: `from_pretrained` of a model class, or a zoo's call.
fn library_model(py: &PyFile) -> Option<(usize, String)> {
    let pretrained = py.lines.iter().find(|l| {
        let code = &l.code;
        code.contains(".from_pretrained(")
            && !["Tokenizer", "Processor", "FeatureExtractor", "Config"]
                .iter()
                .any(|not_a_model| code.contains(not_a_model))
    });
    if let Some(line) = pretrained {
        return Some((
            line.line,
            "a pretrained model (`from_pretrained`)".to_string(),
        ));
    }
    py.first_reference(LIBRARY_MODELS)
        .map(|(name, line)| (line, format!("a library's model (`{name}`)")))
}

pub fn model_and_training(cx: &Context) -> Detection {
    let mut model: Vec<Evidence> = modules(cx, MODEL_MODULES)
        .flat_map(|(path, py)| classes_deriving(path, py, &["Module", "Model"]))
        .collect();
    if model.is_empty() {
        model = modules(cx, MODEL_MODULES)
            .chain(training_modules(cx))
            .filter_map(|(path, py)| {
                let (line, what) = library_model(py)?;
                Some(Evidence::at(path, line, format!("builds {what}")))
            })
            .collect();
    }
    let mut training: Vec<Evidence> = training_modules(cx)
        .filter_map(|(path, py)| {
            let has = |needle: &str| py.code_contains(needle);
            let detail = if has(".fit(") {
                "trains the model (`.fit(`)".to_string()
            } else if has(".backward(") && has(".step(") {
                "a training loop (`.backward()` and an optimizer `.step()`)".to_string()
            } else if let Some((name, _)) = py
                .first_reference(LIBRARY_TRAINERS)
                .filter(|_| has(".train("))
            {
                format!("trains with the library's trainer (`{name}` and `.train()`)")
            } else {
                return None;
            };
            Some(Evidence::new(path, detail))
        })
        .collect();
    let trainers: Vec<Evidence> = cx
        .files(Scope::Source)
        .flat_map(|(path, py)| classes_deriving(path, py, &["nnUNetTrainer"]))
        .collect();
    let runs = cx.commands_matching(&NNUNET_TRAIN);
    let runs = if runs.is_empty() {
        cx.documented_matching(&NNUNET_TRAIN)
    } else {
        runs
    };
    if !trainers.is_empty() && !runs.is_empty() {
        if model.is_empty() {
            model.extend(trainers.iter().cloned());
        }
        training.extend(trainers.into_iter().chain(runs));
    }
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

    /// Training through a library's machinery: Hugging Face's Trainer on a pretrained model,
    /// nnU-Net's command line with the group's trainer class, an adapted timm script.
    #[test]
    fn training_through_a_librarys_trainer() {
        let hf = (
            "src/pkg/train.py",
            "from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments\n\ndef main() -> None:\n    tokenizer = AutoTokenizer.from_pretrained(\"prajjwal1/bert-tiny\")\n    model = AutoModelForSequenceClassification.from_pretrained(\"prajjwal1/bert-tiny\", num_labels=77)\n    trainer = Trainer(model=model, args=TrainingArguments(\"out\"), train_dataset=load(tokenizer))\n    trainer.train()\n",
        );
        match run("model_and_training", &[hf]) {
            Detection::Done(ev) => {
                assert_eq!(
                    ev[0].detail,
                    "builds a pretrained model (`from_pretrained`)"
                );
                assert_eq!(ev[0].line, Some(5));
                assert_eq!(
                    ev[1].detail,
                    "trains with the library's trainer (`transformers.Trainer` and `.train()`)"
                );
            }
            other => panic!("{other:?}"),
        }
        // A tokenizer is not a model, and `model.train()` alone is not training.
        let tokenizer_only = (
            "src/pkg/train.py",
            "from transformers import AutoTokenizer\ntok = AutoTokenizer.from_pretrained(\"x\")\nmodel.train()\n",
        );
        assert!(!is_done("model_and_training", &[tokenizer_only]));
        let trainer = (
            "src/pkg/nnunet_trainer.py",
            "from nnunetv2.training.nnUNetTrainer.nnUNetTrainer import nnUNetTrainer\n\nclass LeafTrainer(nnUNetTrainer):\n    def configure_optimizers(self):\n        return super().configure_optimizers()\n",
        );
        let command = (
            "scripts/train.sh",
            "nnUNetv2_train 501 2d 0 -tr LeafTrainer\n",
        );
        assert!(is_done("model_and_training", &[trainer, command]));
        assert!(!is_done("model_and_training", &[trainer]));
        let timm = (
            "src/pkg/train_timm.py",
            "import timm\n\ndef train(args):\n    model = timm.create_model(args.model, pretrained=True, num_classes=5)\n    for x, y in loader:\n        loss = criterion(model(x), y)\n        loss.backward()\n        optimizer.step()\n",
        );
        assert!(is_done("model_and_training", &[timm]));
    }

    /// A data module on a library's loader fetches the data however short it is; importing
    /// the loader without calling anything does not.
    #[test]
    fn a_data_module_built_on_a_librarys_loader() {
        let hf = (
            "src/pkg/data.py",
            "from datasets import load_dataset\n\ndef load(name: str = \"PolyAI/banking77\"):\n    \"\"\"The splits, tokenized.\"\"\"\n    data = load_dataset(name)\n    return data.map(tokenize, batched=True)\n",
        );
        match run("data_module", &[hf]) {
            Detection::Done(ev) => assert_eq!(
                ev[0].detail,
                "fetches the data with `datasets.load_dataset`"
            ),
            other => panic!("{other:?}"),
        }
        let imported = (
            "src/pkg/data.py",
            "from datasets import load_dataset\n\ndef load():\n    pass\n",
        );
        assert!(!is_done("data_module", &[imported]));
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
}

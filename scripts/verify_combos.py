"""The runtime tier's combinations of the built-in template, what together they cover, and which
once-per-value checks each one runs.

Each combination is installed and run for real (see verify_runtime.py), so there are as few as
the coverage below needs: every value of every option, every kind of data with every framework
that fits it served by its API, every kind trained with both loops, both dependency managers,
every Python version, and every starter's offline parts. `coverage()` computes what the list
covers from the answers themselves and `missing()` says what it does not, so a new option value,
kind or starter that no combination reaches fails the run instead of going untested.

A check that depends on one option only runs once per value of that option (ONCE_PER), in the
last combination of the list that has the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verify_manifest import effective, option, options, starter_on, starters


@dataclass(frozen=True)
class Combo:
    """A runtime combination: the answers given to `dayone new`, and the features that are instead
    turned on afterwards with `dayone add` on the committed project (``later``: feature → value)."""

    name: str
    answers: dict[str, str]
    later: dict[str, str] = field(default_factory=dict)
    why: str = ""

    def requested(self) -> dict[str, str]:
        """Every answer the project must record in the end, the project name included."""
        return {"project_name": f"verify-{self.name}", **self.answers, **self.later}

    def first(self) -> dict[str, str]:
        """The answers `dayone new` gets: the later features still at their off value."""
        first = {**self.requested()}
        first.update({name: option(name).off(effective(first)) for name in self.later})
        return first

    def recorded(self) -> dict[str, str]:
        """The options as the project records them (skipped questions at their defaults)."""
        return effective(self.requested())


ALL_ON = {
    "hydra": "true",
    "tracking": "wandb",
    "api": "true",
    "docs": "true",
    "dvc": "gcs",
    "gcp": "true",
    "devcontainer": "true",
    "agents": "true",
}
ALL_OFF = {name: "false" for name in ("hydra", "api", "docs", "gcp", "devcontainer", "agents")}
ALL_OFF |= {"tracking": "none", "dvc": "none", "license": "none"}

# In the order they run (the longest first, so two at a time finish close together).
COMBOS = [
    Combo(
        "everything",
        {**ALL_ON, "data_kind": "image", "training": "lightning", **{name: "true" for name in starters()}},
        why="every option and every starter on at once (the starters are read from the manifest)",
    ),
    Combo(
        "added-later",
        {"training": "lightning", "python_version": "3.12"},
        later={
            "api": "true",
            "dvc": "local",
            "hydra": "true",
            "framework": "timm",
            "profiling": "true",
            "quantize": "true",
            "registry_workflow": "true",
        },
        why="made with these features off, committed, then `dayone add`: the same checks as if made with them",
    ),
    Combo(
        "tabular-pip-full",
        {
            **ALL_ON,
            "data_kind": "tabular",
            "framework": "torch_frame",
            "dependency_manager": "pip",
            "training": "pytorch",
            "dvc": "local",
            "gcp": "false",
            "license": "BSD-3-Clause",
            "python_version": "3.11",
            "drift": "true",
            "metrics": "true",
            "distributed": "true",
        },
        why="pip with most options on, PyTorch Frame; drift and metrics on a table, DDP with Hydra",
    ),
    Combo(
        "text-pip",
        {"data_kind": "text", "framework": "transformers", "dependency_manager": "pip", "frontend": "true"},
        why="pip with the defaults, Hugging Face Transformers, the frontend's text input",
    ),
    Combo(
        "graph-starters",
        {
            **ALL_OFF,
            "data_kind": "graph",
            "training": "pytorch",
            "python_version": "3.11",
            "profiling": "true",
            "sweep": "true",
            "distributed": "true",
        },
        why="every option off (no API), with the training starters: profiling, a sweep without Hydra, DDP",
    ),
    Combo(
        "text",
        {
            "data_kind": "text",
            "training": "lightning",
            "project_name": "TopicLab",
            "python_version": "3.13",
            "drift": "true",
            "monitoring": "true",
            "load_test": "true",
            "metrics": "true",
        },
        why="a CamelCase name, Lightning on text, the monitoring and serving starters",
    ),
    Combo(
        "tabular",
        {"data_kind": "tabular", "training": "lightning", "onnx": "true", "quantize": "true", "frontend": "true"},
        why="Lightning on a table, ONNX, int8 and the frontend's form built from the model's features",
    ),
    Combo(
        "graph-full",
        {
            **ALL_ON,
            "data_kind": "graph",
            "training": "lightning",
            "python_version": "3.13",
            "license": "Apache-2.0",
            "metrics": "true",
        },
        why="every option on with PyTorch Geometric and Lightning, metrics on the graph API",
    ),
    Combo("defaults", {}, why="`dayone new NAME --yes`: what most groups run"),
]
BY_NAME = {combo.name: combo for combo in COMBOS}

# Checks that depend on one option only: run once per value, in the last combination that has it
# (the list runs longest first, so they land in the short ones).
ONCE_PER = {
    "ci-install": ("dependency_manager", {"uv"}),  # the tests workflow's `uv sync --locked` step
    "foreign-data": ("data_kind", None),  # data the loader cannot read is refused
    "dvc-later": ("dvc", {"none"}),  # `dvc init` + `dvc add data/raw` on a project made without DVC
}


def once_checks(combo: Combo) -> set[str]:
    """The once-per-value checks this combination runs."""
    mine = set()
    for check, (name, values) in ONCE_PER.items():
        value = combo.recorded()[name]
        if values is not None and value not in values:
            continue
        if next(c for c in reversed(COMBOS) if c.recorded()[name] == value) is combo:
            mine.add(check)
    return mine


# The rows coverage() adds beyond the options' own values, in the order the table shows them.
DERIVED = ["served by its API", "trained with", "starter", "turned on later with `dayone add`"]


def coverage() -> dict[tuple[str, str], list[str]]:
    """(dimension, value) → the combinations that cover it."""
    rows: dict[tuple[str, str], list[str]] = {}

    def add(dimension: str, value: str, combo: Combo) -> None:
        rows.setdefault((dimension, value), []).append(combo.name)

    for combo in COMBOS:
        answers = combo.recorded()
        kind, framework = answers["data_kind"], answers["framework"]
        for opt in options():
            if opt.starter:
                if starter_on(answers, opt.name):
                    add("starter", f"{opt.name} on {kind}", combo)
            elif opt.asked(answers) or opt.name in combo.requested():
                add(opt.name, answers[opt.name], combo)
        if answers["api"] == "true":
            add("served by its API", f"{kind} × {framework}", combo)
        add("trained with", f"{kind} × {answers['training']}", combo)
        if combo.later:
            add("turned on later with `dayone add`", ", ".join(sorted(combo.later)), combo)
        for check in sorted(once_checks(combo)):
            name, _ = ONCE_PER[check]
            add(f"once per {name}", f"{check} ({answers[name]})", combo)
    return rows


def missing() -> list[str]:
    """What the combinations must cover and do not."""
    rows = coverage()
    covered = {(dimension, value) for dimension, value in rows}
    gaps = []
    for opt in options():
        if opt.starter:
            if not any(d == "starter" and v.startswith(f"{opt.name} on ") for d, v in covered):
                gaps.append(f"starter {opt.name} is on in no combination")
            continue
        gaps += [f"{opt.name}={value}" for value in opt.values if (opt.name, value) not in covered]
    kinds = option("data_kind").values
    for kind in kinds:
        for framework in option("framework").allowed({"data_kind": kind}):
            if ("served by its API", f"{kind} × {framework}") not in covered:
                gaps.append(f"{kind} × {framework} is served by its API in no combination")
        for training in option("training").values:
            if ("trained with", f"{kind} × {training}") not in covered:
                gaps.append(f"{kind} is trained with {training} in no combination")
    return gaps


def coverage_table() -> str:
    """The README's coverage table, in Markdown."""
    lines = [
        "| dimension | value | runtime combinations |",
        "|---|---|---|",
    ]
    order = [o.name for o in options() if not o.starter] + DERIVED
    rows = coverage()

    def key(row: tuple[str, str]) -> tuple[int, str, str]:
        dimension, value = row
        return (order.index(dimension) if dimension in order else len(order)), dimension, value

    for dimension, value in sorted(rows, key=key):
        shown = dimension if dimension in DERIVED or dimension.startswith("once per") else f"`{dimension}`"
        lines.append(f"| {shown} | {value} | {', '.join(rows[(dimension, value)])} |")
    return "\n".join(lines) + "\n"


def listing() -> str:
    """One line per combination: its name, what it is for, and the values it covers."""
    lines = []
    for combo in COMBOS:
        answers = combo.recorded()
        on = [s for s in starters() if starter_on(answers, s)]
        parts = [
            f"{answers['data_kind']}/{answers['framework']}",
            answers["training"],
            answers["dependency_manager"],
            f"Python {answers['python_version']}",
        ]
        options_on = [name for name, value in answers.items() if value == "true" and name not in on]
        parts.append("options: " + (", ".join(options_on) or "none"))
        parts.append("starters: " + (", ".join(on) or "none"))
        if combo.later:
            parts.append("added later: " + ", ".join(sorted(combo.later)))
        once = sorted(once_checks(combo))
        if once:
            parts.append("once-per-value checks: " + ", ".join(once))
        lines.append(f"{combo.name}: {'; '.join(parts)} — {combo.why}")
    return "\n".join(lines)

"""The built-in template's manifest as the checks see it: its options, the conditions that ask them
(`when`, `choice_when`), and which files its rules and layers put in a project.

The conditions are the small expression language the manifest uses (names, quoted strings, `==`,
`!=`, `and`, `or`, `not`, parentheses), which is also valid Python: they are parsed with `ast` and
anything else is refused, so a manifest that starts using more of the language fails here loudly
instead of being misread.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from verify_shell import REPO

TEMPLATE = REPO / "template" / "mlops"
ALLOWED = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Name,
    ast.Load,
    ast.Constant,
)


@functools.cache
def _compiled(expression: str):
    tree = ast.parse(expression, mode="eval")
    for node in ast.walk(tree):
        if not isinstance(node, ALLOWED):
            raise ValueError(f"condition {expression!r} uses {type(node).__name__}, which these checks cannot read")
    return compile(tree, expression, "eval")


def holds(expression: str | None, answers: dict[str, str]) -> bool:
    """Whether a manifest condition holds for ``answers`` (strings, with booleans as "true"/"false")."""
    if not expression:
        return True
    values = {name: {"true": True, "false": False}.get(value, value) for name, value in answers.items()}
    try:
        return bool(eval(_compiled(expression), {"__builtins__": {}}, values))  # noqa: S307 (checked by _compiled)
    except NameError as error:
        raise ValueError(f"condition {expression!r} names a variable the answers lack: {error}") from None


@dataclass(frozen=True)
class Option:
    """A question with a fixed set of answers: a choice or a yes/no."""

    name: str
    values: tuple[str, ...]
    default: str
    when: str | None
    choice_when: dict[str, str]
    starter: bool
    feature: bool

    def asked(self, answers: dict[str, str]) -> bool:
        return holds(self.when, answers)

    def allowed(self, answers: dict[str, str]) -> list[str]:
        """The values this option may take after the earlier ``answers``."""
        return [value for value in self.values if holds(self.choice_when.get(value), answers)]

    def default_for(self, answers: dict[str, str]) -> str:
        """The value dayone takes by default after ``answers``: the manifest's default, or, when that
        is an expression (the framework's), the first value the answers allow."""
        allowed = self.allowed(answers)
        return self.default if self.default in allowed or not allowed else allowed[0]

    def off(self, answers: dict[str, str]) -> str:
        """The value that leaves this feature out: "false", or a choice's default (`none`)."""
        return "false" if self.values == ("false", "true") else self.default_for(answers)


@functools.cache
def manifest() -> dict:
    return tomllib.loads((TEMPLATE / "template.toml").read_text(encoding="utf-8"))


@functools.cache
def options() -> tuple[Option, ...]:
    """Every choice and yes/no question, in the order the manifest asks them."""
    found = []
    for var in manifest()["variables"]:
        if var["type"] == "bool":
            values, default = ("false", "true"), str(var.get("default", False)).lower()
        elif var["type"] == "choice":
            values, default = tuple(var["choices"]), var.get("default", var["choices"][0])
        else:
            continue
        found.append(
            Option(
                name=var["name"],
                values=values,
                default=default,
                when=var.get("when"),
                choice_when=var.get("choice_when", {}),
                starter=bool(var.get("starter")),
                feature=bool(var.get("feature")),
            )
        )
    return tuple(found)


def option(name: str) -> Option:
    return next(o for o in options() if o.name == name)


def starters() -> list[str]:
    """The later-week starters (`starter = true`), in manifest order."""
    return [o.name for o in options() if o.starter]


def effective(answers: dict[str, str]) -> dict[str, str]:
    """``answers`` with every option the template would skip set to its default, as dayone records it.

    A default that is itself a template expression (the framework's) is resolved by ``allowed``: the
    first value the earlier answers allow.
    """
    full = dict(answers)
    for opt in options():
        if opt.name in answers and opt.asked(full):
            continue
        full[opt.name] = opt.default_for(full)
    return full


def layer_when(folder: str) -> str | None:
    """The condition of the layer whose files live in ``folder`` (e.g. ``starters/drift``)."""
    for layer in manifest()["files"].get("layers", []):
        if layer["folder"] == folder:
            return layer.get("when")
    raise KeyError(f"template.toml has no layer for {folder}")


def starter_on(answers: dict[str, str], name: str) -> bool:
    """Whether a starter's files are in a project with these (recorded) answers."""
    return answers.get(name) == "true" and holds(layer_when(f"starters/{name}"), answers)


def _rendered(relative: str, answers: dict[str, str]) -> str:
    return relative.replace("{{ package_name }}", answers["package_name"])


def layer_files(answers: dict[str, str]) -> dict[str, bool]:
    """Every file a layer of the template can add, with whether this project must have it.

    A file is there when its layer's condition holds and every file rule matching its path holds
    too. Files of kinds layers also exist in the image tree (`project/`), so only starters' layers
    are listed: a kind's layer replaces files rather than adding them.
    """
    rules = manifest()["files"].get("rules", [])
    expected: dict[str, bool] = {}
    for layer in manifest()["files"].get("layers", []):
        if not layer["folder"].startswith("starters/"):
            continue
        root = TEMPLATE / layer["folder"]
        on = holds(layer.get("when"), answers)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            relative = path.relative_to(root).as_posix()
            target = _rendered(relative, answers)
            by_rules = all(
                holds(rule.get("when"), answers)
                for rule in rules
                if any(fnmatch.fnmatch(target, pattern) for pattern in rule["paths"])
            )
            expected[target] = expected.get(target, False) or (on and by_rules)
    return expected


def starter_tests(answers: dict[str, str]) -> list[str]:
    """The test modules the starters that are on put in ``tests/``."""
    return sorted(
        Path(path).stem
        for path, present in layer_files(answers).items()
        if present and path.startswith("tests/") and Path(path).name.startswith("test_")
    )

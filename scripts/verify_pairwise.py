"""The static tier's combinations: a pairwise-covering set over every choice and yes/no option of
the built-in template, so that interactions between any two option values are generated and
checked without an install.

The set is built greedily from the manifest itself (a new option or starter joins it by itself):
the pairs to cover are those that valid combinations can hold (conditions and `choice_when`
respected, as dayone asks them), and each step adds the candidate combination that covers the most
pairs still uncovered. When pairs are all covered and the set is still smaller than MIN_COMBOS,
it grows by the same rule over triples of the template's main options (not the starters). The
seed is fixed, so the set is the same on every run until the manifest changes.

    python3 scripts/verify_pairwise.py          # print the combinations, one per line
"""

from __future__ import annotations

import functools
import itertools
import random
import sys

from verify_manifest import Option, options

MIN_COMBOS = 40
SEED = 2476
CANDIDATES = 40
SAMPLES = 1500

Value = tuple[str, str]


def random_answers(rng: random.Random, forced: dict[str, str] | None = None) -> dict[str, str]:
    """A combination dayone would accept, built in question order: options it skips keep their
    default; ``forced`` values are taken where the earlier answers allow them."""
    answers: dict[str, str] = {}
    for opt in options():
        allowed = opt.allowed(answers)
        if not opt.asked(answers) or not allowed:
            answers[opt.name] = opt.default_for(answers)
            continue
        wanted = (forced or {}).get(opt.name)
        answers[opt.name] = wanted if wanted in allowed else rng.choice(allowed)
    return answers


def asked_only(answers: dict[str, str]) -> dict[str, str]:
    """The answers to pass as `--set`: only the questions dayone asks for these answers."""
    given: dict[str, str] = {}
    for opt in options():
        if opt.asked({**answers, **given}):
            given[opt.name] = answers[opt.name]
    return given


@functools.cache
def groups(names: tuple[str, ...], size: int) -> list[tuple[str, ...]]:
    return list(itertools.combinations(names, size))


def tuples(answers: dict[str, str], names: tuple[str, ...], size: int) -> set[tuple[Value, ...]]:
    """The ``size``-tuples of (option, value) that a combination holds."""
    if size == 2:
        return {((a, answers[a]), (b, answers[b])) for a, b in groups(names, 2)}
    return {tuple((n, answers[n]) for n in group) for group in groups(names, size)}


def cover(
    target: set, names: tuple[str, ...], size: int, rng: random.Random, chosen: list[dict[str, str]], limit: int
) -> None:
    """Add combinations to ``chosen`` until ``target`` is covered (or ``limit`` combinations)."""
    left = set(target)
    for answers in chosen:
        left -= tuples(answers, names, size)
    while left and len(chosen) < limit:
        ordered = sorted(left)
        candidates = [random_answers(rng, dict(rng.choice(ordered))) for _ in range(CANDIDATES)]
        best = max(candidates, key=lambda a: len(tuples(a, names, size) & left))
        gained = tuples(best, names, size) & left
        if not gained:
            break
        chosen.append(best)
        left -= gained


def combinations() -> list[dict[str, str]]:
    """The static tier's combinations, each as the `--set` answers to pass (asked questions only)."""
    rng = random.Random(SEED)
    every: list[Option] = list(options())
    names = tuple(o.name for o in every)
    samples = [random_answers(rng) for _ in range(SAMPLES)]
    pairs = set().union(*(tuples(a, names, 2) for a in samples))
    chosen: list[dict[str, str]] = []
    cover(pairs, names, 2, rng, chosen, limit=10_000)
    main = tuple(o.name for o in every if not o.starter)
    triples = set().union(*(tuples(a, main, 3) for a in samples))
    cover(triples, main, 3, rng, chosen, limit=MIN_COMBOS)
    missing = pairs - set().union(*(tuples(a, names, 2) for a in chosen))
    if missing:
        raise SystemExit(f"error: the pairwise set leaves {len(missing)} pairs uncovered, e.g. {sorted(missing)[:3]}")
    return [asked_only(a) for a in chosen]


def main() -> int:
    for n, answers in enumerate(combinations(), 1):
        print(f"pairwise-{n:02}: " + " ".join(f"{k}={v}" for k, v in answers.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The synthetic data generator's registry. Each app registers what it generates, in order;
`manage.py generate_synthetic` runs them all. Apps added later (people, referrals, episodes,
meetings) register their own generators in their AppConfig.ready()."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class SyntheticRun:
    people: int
    seed: int
    rng: random.Random
    counts: dict = field(default_factory=dict)


_GENERATORS: list[tuple[int, str, Callable[[SyntheticRun], dict]]] = []


def synthetic_generator(*, order: int, name: str):
    def register(fn):
        if not any(existing == name for _, existing, _ in _GENERATORS):
            _GENERATORS.append((order, name, fn))
        return fn

    return register


def synthetic_generators() -> list[tuple[str, Callable[[SyntheticRun], dict]]]:
    return [(name, fn) for _, name, fn in sorted(_GENERATORS, key=lambda g: g[0])]

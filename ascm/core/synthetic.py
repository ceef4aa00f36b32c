"""The synthetic county: each app contributes what it generates to the `synthetic_data` extension
point (ascm.core.extensions), in order; `manage.py generate_synthetic` runs them all."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class SyntheticRun:
    people: int
    seed: int
    rng: random.Random
    counts: dict = field(default_factory=dict)


def synthetic_generators() -> list[tuple[str, Callable[[SyntheticRun], dict]]]:
    """The apps' contributions to the synthetic_data extension point, in order."""
    from .extensions import synthetic_data

    return [(item.name, item.generate) for item in synthetic_data]

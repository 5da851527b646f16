"""Reading and checking an experiment spec (docs/experiments.md): a treatment, a control, metrics, seeds.

Every error is an :class:`~dependencia.errors.InputError` naming the spec
file and the key (``treatment.policies.x``, ``sensitivity.ranges.y``) and
is raised before anything is run or written.

Examples
--------
>>> spec = read_experiment_spec({"scenario": "platform", "steps": 2, "seeds": 3,
...                              "control": {}, "treatment": {"infrastructure.build_cost": 20.0},
...                              "metrics": ["hhi"]})
>>> spec.seeds, spec.treatment_seeds, spec.paired
((1, 2, 3), (1, 2, 3), True)
>>> read_experiment_spec({"scenario": "platform", "steps": 2, "seeds": 3, "metrics": ["hhi"]})
Traceback (most recent call last):
...
dependencia.errors.InputError: experiment spec, treatment: equals the control ...
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DependenciaError, InputError, shown
from ..simulation.config import SimulationConfig
from ..simulation.config_parse import INVESTORS
from ..simulation.strategies import STRATEGIES
from .metrics import SUM_PREFIX, check_metrics, metric_column
from .sensitivity import METHODS, Range
from .spec_values import (
    MAX_RUNS,
    Fail,
    assignment,
    check_scalar,
    check_setting,
    current_value,
    is_int,
    parameters_of,
    read_spec_document,
    scenario_network_and_config,
    scenario_of,
    seeds_of,
    steps_of,
)

__all__ = ["SUM_PREFIX", "ExperimentSpec", "SensitivitySpec", "metric_column", "read_experiment_spec"]

_KEYS = ("scenario", "steps", "seeds", "paired", "control", "treatment", "fixed", "metrics", "bootstrap",
         "sensitivity")
_SENSITIVITY_KEYS = ("method", "samples", "seeds_per_point", "trajectories", "levels", "seeds", "seed", "bins",
                     "ranges")
DEFAULT_SEEDS = 30
DEFAULT_RESAMPLES = 2000


@dataclass(frozen=True)
class SensitivitySpec:
    """The sensitivity part of a spec: methods, their design sizes, seeds per point, ranges."""

    methods: tuple[str, ...]
    trajectories: int
    levels: int
    samples: int
    seeds: tuple[int, ...]
    seed: int
    bins: int
    ranges: tuple[Range, ...]


@dataclass(frozen=True)
class ExperimentSpec:
    """A checked experiment spec. Arm settings are dicts of ``--set`` key -> value."""

    source: str
    scenario: str
    steps: int
    seeds: tuple[int, ...]
    paired: bool
    control: dict[str, Any]
    treatment: dict[str, Any]
    fixed: dict[str, Any]
    metrics: tuple[str, ...]
    resamples: int
    bootstrap_seed: int
    sensitivity: SensitivitySpec | None
    #: the value of every key the arms or ranges set, as the scenario (with ``fixed``) has it
    base: dict[str, Any]

    @property
    def treatment_seeds(self) -> tuple[int, ...]:
        """The treatment arm's seeds: the control's (paired), or shifted past them so that none repeats."""
        return self.shifted(self.seeds)

    def shifted(self, seeds: tuple[int, ...]) -> tuple[int, ...]:
        """``seeds`` for the treatment arm: unchanged when paired, else each plus (max - min + 1)."""
        if self.paired:
            return seeds
        span = max(seeds) - min(seeds) + 1
        return tuple(seed + span for seed in seeds)

    @property
    def parameters(self) -> tuple[str, ...]:
        """The keys the arms and the ranges set, in spec order (the runs table's parameter columns)."""
        keys = [*self.control, *self.treatment]
        if self.sensitivity is not None:
            keys += [r.key for r in self.sensitivity.ranges]
        return tuple(dict.fromkeys(keys))


def read_experiment_spec(spec: str | Path | Mapping[str, Any]) -> ExperimentSpec:
    """Read and check an experiment spec (a YAML file or a mapping); errors name the spec and the key."""
    read = read_spec_document(spec, kind="experiment spec", keys=_KEYS, required=("scenario", "steps", "metrics"))
    document, source, fail = read.document, read.source, read.fail
    scenario = scenario_of(document["scenario"], read.base, fail)
    steps = steps_of(document["steps"], fail)
    seeds = _seed_list(document.get("seeds", DEFAULT_SEEDS), "seeds", fail)
    if len(seeds) < 2:
        raise fail("seeds", f"an experiment needs at least 2 seeds (default {DEFAULT_SEEDS}), got {len(seeds)}")
    paired = document.get("paired", True)
    if not isinstance(paired, bool):
        raise fail("paired", f"must be true or false, got {shown(paired)}")
    network, config = scenario_network_and_config(scenario, fail)
    known = config.to_mapping()
    sections = {name: parameters_of(document.get(name) or {}, name, known, fail)
                for name in ("fixed", "control", "treatment")}
    for name, values in sections.items():
        for key, value in values.items():
            check_setting(value, f"{name}.{key}", fail, current_value(known, key))
            _check_investor(key, (value,), network.actors.index, f"{name}.{key}", fail)
    fixed, control, treatment = sections["fixed"], sections["control"], sections["treatment"]
    for key in fixed:
        if key in control or key in treatment:
            raise fail(f"fixed.{key}", "is also set by an arm; a parameter is either fixed or set per arm")
    resolved = {}
    for name in ("fixed", "control", "treatment"):
        settings = fixed if name == "fixed" else {**fixed, **sections[name]}
        resolved[name] = _apply(config, settings, name, fail)
    if paired and resolved["control"].to_mapping() == resolved["treatment"].to_mapping():
        raise fail("treatment", "equals the control (the same settings in both arms): a paired experiment would "
                                "compare each run with itself; change an arm, or set paired: false for an A/A check")
    metrics = check_metrics(document["metrics"], fail, network.actors.index)
    resamples, bootstrap_seed = _bootstrap(document.get("bootstrap") or {}, fail)
    sensitivity = None
    if document.get("sensitivity") is not None:
        # a range may vary a fixed value (the main comparison keeps it); an arm's own settings never vary
        sensitivity = _sensitivity(document["sensitivity"], known, resolved["fixed"], {**control, **treatment}, fail)
        for varied in sensitivity.ranges:
            _check_investor(varied.key, varied.levels or (), network.actors.index, f"sensitivity.ranges.{varied.key}",
                            fail)
    if not paired:  # the treatment's seeds are shifted past the control's; a seed must stay a 64-bit integer
        for key, listed in (("seeds", seeds), ("sensitivity.seeds_per_point",
                                               sensitivity.seeds if sensitivity is not None else ())):
            if listed and 2 * max(listed) - min(listed) + 1 >= 2**63:
                raise fail(key, f"unpaired arms take seeds past the control's, up to {2 * max(listed) - min(listed) + 1}"
                                f", over the largest seed (2**63 - 1); use smaller seeds")
    runs = len(seeds) * 2
    if sensitivity is not None:
        runs += _design_size(sensitivity) * len(sensitivity.seeds) * 2
    if runs > MAX_RUNS:
        raise fail("sensitivity" if sensitivity is not None else "seeds",
                   f"the experiment has {runs:,} runs, more than {MAX_RUNS:,}, the most one experiment may have")
    keys = [*control, *treatment, *(r.key for r in sensitivity.ranges)] if sensitivity else [*control, *treatment]
    base_values = {key: resolved["fixed"].get(key) for key in dict.fromkeys(keys)}
    return ExperimentSpec(source=source, scenario=scenario, steps=steps, seeds=seeds, paired=paired,
                          control=control, treatment=treatment, fixed=fixed, metrics=metrics, resamples=resamples,
                          bootstrap_seed=bootstrap_seed, sensitivity=sensitivity, base=base_values)


def _design_size(sensitivity: SensitivitySpec) -> int:
    d = len(sensitivity.ranges)
    sizes = {"morris": sensitivity.trajectories * (d + 1), "sobol": sensitivity.samples * (d + 2)}
    return sum(sizes[method] for method in sensitivity.methods)


def _apply(config: SimulationConfig, settings: dict[str, Any], where: str, fail: Fail) -> SimulationConfig:
    try:
        return config.with_overrides([assignment(k, v) for k, v in settings.items()])
    except DependenciaError as problem:
        raise fail(where, str(problem)) from None


def _seed_list(value: Any, where: str, fail: Fail) -> tuple[int, ...]:
    """An int n (seeds 1..n), a list, or ``{count, start}``; the sweep's rules otherwise."""
    if is_int(value):
        if not 1 <= value <= MAX_RUNS:
            raise fail(where, f"must be a number of seeds from 1 to {MAX_RUNS:,}, a list or {{count, start}}, "
                              f"got {shown(value)}")
        return tuple(range(1, value + 1))

    def located(key: str, message: str) -> InputError:  # the sweep's checks name "seeds"; say where they are
        return fail(where + key[len("seeds"):], message)

    return seeds_of(value, located)


def _check_investor(key: str, strategies: tuple[Any, ...], actors: Any, where: str, fail: Fail) -> None:
    """``investors.ACTOR``: an actor of the scenario, and strategies that are registered."""
    head, _, actor = key.partition(".")
    if head != INVESTORS or not actor:
        return
    if actor not in actors:
        raise fail(where, f"no actor {actor!r} in the scenario")
    unknown = next((name for name in strategies if name not in STRATEGIES), None)
    if unknown is not None:
        raise fail(where, f"unknown strategy {shown(unknown)}; known: {', '.join(sorted(STRATEGIES))}")


def _bootstrap(value: Any, fail: Fail) -> tuple[int, int]:
    if not isinstance(value, dict):
        raise fail("bootstrap", "must be a mapping with resamples and seed")
    extra = sorted(set(map(str, value)) - {"resamples", "seed"})
    if extra:
        raise fail(f"bootstrap.{extra[0]}", "unknown key; bootstrap has resamples and seed")
    resamples, seed = value.get("resamples", DEFAULT_RESAMPLES), value.get("seed", 0)
    if not is_int(resamples) or not 100 <= resamples <= 1_000_000:
        raise fail("bootstrap.resamples", f"must be an integer from 100 to 1,000,000, got {shown(resamples)}")
    if not is_int(seed) or not 0 <= seed < 2**63:
        raise fail("bootstrap.seed", f"must be an integer >= 0, got {shown(seed)}")
    return resamples, seed


def _count(section: dict, key: str, default: int, low: int, high: int, fail: Fail) -> int:
    value = section.get(key, default)
    if not is_int(value) or not low <= value <= high:
        raise fail(f"sensitivity.{key}", f"must be an integer from {low} to {high:,}, got {shown(value)}")
    return int(value)


def _sensitivity(value: Any, known: dict, fixed_config: SimulationConfig, taken: dict[str, Any],
                 fail: Fail) -> SensitivitySpec:
    if not isinstance(value, dict):
        raise fail("sensitivity", "must be a mapping with method, ranges and the design's sizes")
    extra = sorted(set(map(str, value)) - set(_SENSITIVITY_KEYS))
    if extra:
        raise fail(f"sensitivity.{extra[0]}", f"unknown key; sensitivity has {', '.join(_SENSITIVITY_KEYS)}")
    method = value.get("method", "morris")
    if method not in (*METHODS, "both"):
        raise fail("sensitivity.method", f"must be morris, sobol or both, got {shown(method)}")
    methods = METHODS if method == "both" else (method,)
    # ``samples`` is the design's size: Morris' trajectories, or Sobol's base samples; ``trajectories`` names
    # Morris' alone (for method both)
    if method == "morris" and "samples" in value:
        if "trajectories" in value:
            raise fail("sensitivity.trajectories", "give samples or trajectories for morris, not both")
        value = {**value, "trajectories": value["samples"]}
        value.pop("samples")
    trajectories = _count(value, "trajectories", 10, 2, 10_000, fail)
    levels = _count(value, "levels", 4, 2, 100, fail)
    if levels % 2:
        raise fail("sensitivity.levels", f"must be even (Morris' grid), got {levels}")
    samples = _count(value, "samples", 16, 2, 1 << 20, fail)
    # Sobol's sequence balances best at a power of two (SALib warns otherwise); ARCHITECTURE's example has 10
    seed = _count(value, "seed", 0, 0, 2**32 - 1, fail)
    bins = _count(value, "bins", 4, 1, 100, fail)
    if "seeds" in value and "seeds_per_point" in value:
        raise fail("sensitivity.seeds", "give seeds_per_point or seeds, not both")
    key = "seeds" if "seeds" in value else "seeds_per_point"
    seeds = _seed_list(value.get(key, 5), f"sensitivity.{key}", fail)
    raw = value.get("ranges")
    if not isinstance(raw, dict) or not raw:
        raise fail("sensitivity.ranges", "must be a mapping of --set keys to [low, high] ranges or lists of levels")
    parameters_of(raw, "sensitivity.ranges", known, fail)
    ranges = []
    for key, spec in raw.items():
        where = f"sensitivity.ranges.{key}"
        if key in taken:
            raise fail(where, "is set by the control or the treatment; what an arm sets cannot vary")
        ranges.append(_range(str(key), spec, fixed_config, where, fail))
    return SensitivitySpec(methods=methods, trajectories=trajectories, levels=levels, samples=samples,
                           seeds=seeds, seed=seed, bins=bins, ranges=tuple(ranges))


def _number(value: Any) -> bool:
    return (is_int(value) or isinstance(value, float)) and math.isfinite(value)


def _range(key: str, spec: Any, config: SimulationConfig, where: str, fail: Fail) -> Range:
    """``[low, high]`` (two numbers), ``{levels: [...]}``, or a list of levels (anything else)."""
    if isinstance(spec, dict):
        if set(spec) != {"levels"}:
            raise fail(where, "a mapping here has one key, levels")
        spec, explicit_levels = spec["levels"], True
    else:
        explicit_levels = False
    if not isinstance(spec, list) or len(spec) < 2:
        raise fail(where, f"must be [low, high] or a list of at least 2 levels, got {shown(spec)}")
    for item in spec:
        check_scalar(item, where, fail)
    current = config.get(key)
    if not explicit_levels and len(spec) == 2 and all(_number(v) for v in spec):
        low, high = spec
        if low > high:
            raise fail(where, f"the low end {shown(low)} exceeds the high end {shown(high)}")
        if low == high:
            raise fail(where, f"low equals high ({shown(low)}): a range needs low < high (a value that does not "
                              "vary belongs in fixed)")
        if is_int(current):  # a whole-number parameter: every whole number in the range is a level
            if not (is_int(low) and is_int(high)):
                raise fail(where, f"is a whole-number parameter: give whole numbers, got {shown(spec)}")
            if high - low >= 1000:
                raise fail(where, "a whole-number range may hold at most 1,000 values")
            levels: tuple[Any, ...] = tuple(range(low, high + 1))
            _check_levels(config, key, (levels[0], levels[-1]), where, fail)
            return Range(key, levels=levels)
        _check_levels(config, key, (float(low), float(high)), where, fail)
        return Range(key, float(low), float(high))
    if len({repr(v) for v in spec}) != len(spec):
        raise fail(where, "lists a level twice")
    _check_levels(config, key, tuple(spec), where, fail)
    return Range(key, levels=tuple(spec))


def _check_levels(config: SimulationConfig, key: str, values: tuple[Any, ...], where: str, fail: Fail) -> None:
    for value in values:
        try:
            config.with_overrides([assignment(key, value)])
        except DependenciaError as problem:
            raise fail(where, str(problem)) from None

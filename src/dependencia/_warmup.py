"""Compile every Numba kernel once, into Numba's on-disk cache: ``python -m dependencia._warmup``.

A kernel is compiled the first time it runs (a few seconds each, 10-15 s for
``explain`` or ``improve``) and kept on disk (``cache=True``, see
:mod:`dependencia.base.jit`); every later process loads the machine code in
milliseconds. ``make``'s install step runs this module, so that no command
pays for compiling, not even the first; run it after ``pip install`` too.
It takes a minute or two and changes nothing but the cache; running it again
loads what is there.

It runs the real computations on a small synthetic network (and a short
simulation), not the kernels one by one, so that the kernels are compiled
for exactly the argument types that the commands pass: the parallel
approximation and Numba's reach counts, which small inputs skip, are forced
on for the purpose.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator

import numpy as np

__all__ = ["main", "warm_up"]


def _network(n_actors: int = 150, seed: int = 0):
    """A random network with two dimensions, infrastructures, ownership and a ``distance`` attribute."""
    from .network.model import Network

    rng = np.random.default_rng(seed)
    ids = [f"a{i}" for i in range(n_actors)]
    infrastructures = [{"id": f"i{k}", "owner": ids[k]} for k in range(4)]
    dependencies = []
    for i in range(n_actors):
        for j in rng.choice(n_actors, size=3, replace=False):
            if j != i:
                record = {"dependent": ids[i], "provider": ids[j], "dimension": ("x", "y")[int(rng.integers(2))],
                          "distance": float(rng.integers(1, 4))}
                if rng.random() < 0.2:
                    record["via"] = [f"i{int(rng.integers(4))}"]
                dependencies.append(record)
    ownership = [{"owner": ids[0], "owned": ids[k], "share": 0.6} for k in (5, 6)]
    return Network.from_records([{"id": i} for i in ids], dependencies, infrastructures=infrastructures,
                                ownership=ownership)


@contextlib.contextmanager
def _forced(module, name: str, value) -> Iterator[None]:
    """Set a module constant for the block (a threshold below which a kernel is skipped)."""
    old = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, old)


def warm_up(*, verbose: bool = False) -> float:
    """Run every kernel once (compiling it, or loading it from the cache); returns the seconds taken."""
    import dependencia as dp

    from .measures import adaptive, reach
    from .simulation.scenario import load_scenario

    start = time.perf_counter()
    # Sources are split into SOURCE_GROUPS (64) interleaved slices: with more than 128 nodes each slice holds
    # several sources, a strided array; with at most 64 one source, which NumPy calls contiguous. Numba
    # compiles each layout apart, so both sizes run.
    for n_actors in (20, 150):
        _run_all(_network(n_actors), verbose=verbose)
    if verbose:
        print("  simulation", end=" ", file=sys.stderr, flush=True)
    began = time.perf_counter()
    with _forced(adaptive, "PARALLEL_WORK", 0), _forced(reach, "PYTHON_MAX_COMPONENTS", 0), \
            _forced(reach, "NUMPY_MAX_COMPONENTS", 0):
        dp.Simulation(*load_scenario("debt-brake")).run(2)
    if verbose:
        print(f"{time.perf_counter() - began:.1f} s", file=sys.stderr)
    return time.perf_counter() - start


def _run_all(net, *, verbose: bool) -> None:
    import dependencia as dp

    from .measures import adaptive, reach

    actor = "a0"
    steps = [
        ("power, reach", lambda: [dp.power(net, directed=d, length=w, workers=1)
                                  for d in (True, False) for w in (None, "distance")]
                                 + [dp.reach(net, directed=d) for d in (True, False)]),
        ("betweenness (exact, approximate)", lambda: [
            dp.betweenness(net, epsilon=0.2, seed=0, workers=1),
            dp.betweenness(net, epsilon=0.2, seed=0, workers=1, directed=False),
            dp.betweenness(net, epsilon=0.2, seed=0, workers=1, paths="hub"),
            dp.betweenness(net, epsilon=0.2, seed=0, workers=1, directed=False, paths="hub"),
            dp.betweenness(net, epsilon=0.2, seed=0, workers=1, paths="hub", length="distance"),
        ]),
        ("adaptive path sampling, both stopping rules", lambda: _both_rules(net)),
        ("power and routed betweenness by path sampling", lambda: [
            dp.power(net, epsilon=0.2, method="kadabra", directed=d, length=w, workers=w1, paths=p)
            for d in (True, False) for w in (None, "distance") for w1 in (1, 2) for p in ("routed", "hub")
        ] + [dp.betweenness(net, epsilon=0.2, method="kadabra", directed=d, workers=1) for d in (True, False)]),
        ("explain", lambda: [dp.explain(net, actor, directed=d, length=w, workers=1)
                             for d in (True, False) for w in (None, "distance")]),
        ("improve", lambda: [dp.improve(net, actor, links=2, strategy=s, seed=0, workers=1)
                             for s in ("greedy", "top-degree", "random")]),
        ("whatif, chokepoints, concentration, multiplex", lambda: [
            dp.whatif(net, remove=["a1"], workers=1),
            dp.chokepoints(net, candidates=5, workers=1),
            dp.concentration(net, workers=1),
            dp.multiplex_power(net, workers=1),
        ]),
        ("rents", lambda: dp.rents(net)),
        ("hub graph", lambda: [dp.power(net, paths="hub", workers=1), dp.betweenness(net, paths="hub", workers=1)]),
        ("shock", lambda: [dp.shock(net, [actor]), dp.systemic_impact(net, workers=1),
                           dp.systemic_impact(net, workers=2)]),
    ]
    with _forced(adaptive, "PARALLEL_WORK", 0), _forced(reach, "PYTHON_MAX_COMPONENTS", 0), \
            _forced(reach, "NUMPY_MAX_COMPONENTS", 0):
        for name, step in steps:
            began = time.perf_counter()
            step()
            if verbose:
                print(f"  {net.n_actors} actors, {name}: {time.perf_counter() - began:.1f} s", file=sys.stderr)


def _both_rules(net) -> None:
    """Adaptive path sampling with each stopping rule, on hop counts and on lengths."""
    from .graph import compile_graph
    from .measures.adaptive import BOUNDS, adaptive_betweenness

    for length in (None, "distance"):
        graph = compile_graph(net, length=length)
        for bound in BOUNDS:
            adaptive_betweenness(graph, epsilon=0.2, seed=0, bound=bound)


def main() -> int:
    from .base.jit import cache_folder

    print(f"compiling the Numba kernels into {cache_folder()} ...", file=sys.stderr)
    seconds = warm_up(verbose=True)
    print(f"done in {seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

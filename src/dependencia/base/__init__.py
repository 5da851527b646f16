"""What every layer may use, knowing nothing of networks.

Lazy public names (``lazy``), the constants the command line's help needs
(``constants``), Numba's ``njit`` with a writable cache (``jit``), igraph
without pyplot (``imports``), atomic writes (``atomic``), ranking and
rendering result tables (``output``), the shared public arguments
(``arguments``), and the executor that runs partial computations in
parallel (``executor``). Imports nothing of the package but
:mod:`dependencia.errors`.
"""

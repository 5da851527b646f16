"""Constants needed before any numerical library is loaded.

The command line shows some of them in its help and option defaults, and
``Economy()`` checks against ``CHANNELS`` on construction; keeping them here,
in a module that imports nothing, lets ``dependencia --help`` run without
pandas, NumPy or Numba (docs/architecture.md, "Lazy imports"). The modules
they belong to re-export them: :data:`dependencia.measures.betweenness.EXACT_COST_LIMIT`,
:data:`dependencia.report.data.MAX_NODES`, ``TOP_ACTORS`` and ``LABEL_TOP``,
:data:`dependencia.network.schema.CHANNELS`; the package's version is
:data:`dependencia.__version__`.
"""

#: The package's version (``dependencia.__version__``; pyproject.toml says the same).
VERSION = "0.1.0"

#: Above this many node-edge products (n times m) ``betweenness`` approximates
#: unless asked for exact values. About 80 s of one core at 1e10.
EXACT_COST_LIMIT = 10_000_000_000
#: Epsilon of an approximation when none is given (error on the normalized scale), and its delta.
DEFAULT_EPSILON = 0.01
DEFAULT_DELTA = 0.1

#: A report shows networks up to this many nodes whole; larger ones reduced.
MAX_NODES = 2000
#: Actors kept by power in a reduced network view of a report.
TOP_ACTORS = 200
#: Actors named next to their markers in a report's network view.
LABEL_TOP = 10

#: The channels a dependency can run on.
CHANNELS = ("market", "public", "care", "voluntary")

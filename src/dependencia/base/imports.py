"""Third-party imports that need care: igraph without ``matplotlib.pyplot``.

``import igraph`` imports ``matplotlib.pyplot`` whenever matplotlib is
installed, for igraph's own plotting, which this package never uses: about
0.4 s of a small command's 1.5 s. :func:`igraph` imports igraph with
``matplotlib.pyplot`` standing in sys.modules as a module that loads itself
on the first access to one of its attributes, by igraph or by anyone else
(importing it again does not count; :class:`importlib.util.LazyLoader` would
load it there, inside the import system). igraph's plotting therefore works
as before, only later. The matplotlib modules whose classes igraph
subclasses when it is imported (artists, collections, transforms) are
imported for real.

Examples
--------
>>> from dependencia.base.imports import igraph
>>> igraph().Graph(n=3, edges=[(0, 1), (1, 2)], directed=True).betweenness()
[0.0, 1.0, 0.0]
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types

__all__ = ["igraph"]

_PYPLOT = "matplotlib.pyplot"
#: What igraph.drawing.matplotlib subclasses or reads at import (mpl.artist.Artist, mpl.collections.PatchCollection, ...).
_NEEDED_BY_IGRAPH = ("matplotlib.artist", "matplotlib.collections", "matplotlib.transforms")
_lock = threading.RLock()


def igraph() -> types.ModuleType:
    """The ``igraph`` module; the first import stands a self-loading module in for ``matplotlib.pyplot``."""
    module = sys.modules.get("igraph")
    if module is not None:
        return module
    with _lock:
        if "igraph" not in sys.modules and _PYPLOT not in sys.modules:
            _defer_pyplot()
        return importlib.import_module("igraph")


class _DeferredModule(types.ModuleType):
    """A module that runs its code on the first access to an attribute it does not have yet."""

    def __getattr__(self, name: str) -> object:
        _load(self)
        return getattr(self, name)

    def __dir__(self) -> list[str]:
        _load(self)
        return dir(self)


def _load(module: types.ModuleType) -> None:
    with _lock:
        if type(module) is not _DeferredModule:  # another thread loaded it meanwhile
            return
        spec = module.__spec__
        assert spec is not None and spec.loader is not None  # set by _defer_pyplot
        object.__setattr__(module, "__class__", types.ModuleType)  # from now on an ordinary module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            if sys.modules.get(module.__name__) is module:  # as a failed import: nothing left behind
                del sys.modules[module.__name__]
            raise


def _defer_pyplot() -> None:
    try:
        spec = importlib.util.find_spec(_PYPLOT)  # imports matplotlib itself (igraph needs it anyway)
    except ImportError:  # no matplotlib: igraph goes without it, as always
        return
    if spec is None or spec.loader is None:
        return
    for name in _NEEDED_BY_IGRAPH:
        importlib.import_module(name)
    module = _DeferredModule(_PYPLOT)
    module.__spec__, module.__loader__, module.__file__ = spec, spec.loader, spec.origin
    module.__package__ = "matplotlib"
    sys.modules[_PYPLOT] = module
    setattr(sys.modules["matplotlib"], "pyplot", module)  # noqa: B010 (mypy does not know the attribute)

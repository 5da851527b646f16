"""Public names of a package loaded on first use (PEP 562).

``import dependencia`` would otherwise import every submodule, and with them
pandas, NetworkX, Numba, igraph and the plotting libraries, for a command
line that only prints its help (docs/architecture.md, "Lazy imports").

Examples
--------
>>> import sys
>>> import dependencia as dp
>>> callable(dp.power) and "dependencia.measures.power" in sys.modules
True
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Mapping
from importlib import import_module
from importlib.util import find_spec


class _Package(types.ModuleType):
    """A package module whose public functions win over its submodules of the same name.

    Importing a submodule (``dependencia.report``, ``dependencia.economics.rents``)
    makes the import system set the parent's attribute of that name to the
    submodule; a package that imports its names eagerly sets it back to the
    function right away. Here the function is loaded later, so the
    submodule is not bound over it: ``dp.report`` stays the function, as before.
    """

    _shadowed: frozenset[str] = frozenset()

    def __setattr__(self, name: str, value: object) -> None:
        if name in type(self)._shadowed and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


def attributes(
    package: str, names: Mapping[str, tuple[str, str | None]]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``names`` maps a public name to (module, attribute).

    The module is relative to the package; attribute ``None`` is the module
    itself. Other names that are submodules load as after an eager import
    (``dp.io``).
    """
    module = sys.modules[package]

    def __getattr__(name: str) -> object:
        if name in names:
            where, attribute = names[name]
            value = import_module(where, package)
            if attribute is not None:
                value = getattr(value, attribute)
            vars(module)[name] = value  # the next access is a plain attribute
            return value
        if not name.startswith("__") and find_spec(f"{package}.{name}") is not None:
            return import_module(f".{name}", package)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(vars(module)) | set(names))

    shadowed = frozenset(
        name for name, (_, attribute) in names.items() if attribute is not None and _is_submodule(package, name)
    )
    module.__class__ = type("_Package", (_Package,), {"_shadowed": shadowed})
    return __getattr__, __dir__


def _is_submodule(package: str, name: str) -> bool:
    return find_spec(f"{package}.{name}") is not None

"""The house style of the static figures: matplotlib settings, palette, and writing the same bytes.

Shared by :mod:`.plots` (concentration, power, Lorenz) and :mod:`._network_figure`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..base.atomic import write_atomic
from ..errors import UsageError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["FORMATS", "PALETTE", "SERIES_COLOURS", "STYLE", "new_figure", "save_figure", "text"]

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
LARGE_NETWORK = 2000
TOP_ACTORS = 200
PNG_DPI = 200

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.titleweight": "normal",
    "axes.labelsize": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.8,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 8.0,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "lines.linewidth": 1.6,
    "figure.dpi": 100,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.05,
    "svg.hashsalt": "dependencia",
    "svg.id": "dependencia",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
}
#: Okabe and Ito's colour-blind safe palette (https://jfly.uni-koeln.de/color/), its yellow (hard to see on
#: white) replaced by Tol's wine; then grey, brown and teal for series beyond eight.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#000000")
SERIES_COLOURS = PALETTE + ("#7F7F7F", "#8C564B")
_METADATA = {
    "png": {"Software": "dependencia"},
    "svg": {"Date": None, "Creator": "dependencia"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "dependencia", "Producer": "dependencia"},
}


def save_figure(figure: "Figure", path: str | os.PathLike[str], *, dpi: int = PNG_DPI) -> None:
    """Write ``figure`` to ``path`` (.png, .svg or .pdf) atomically, the same bytes for the same figure.

    ``dpi`` sets the resolution of a PNG (SVG and PDF are vector). A
    symbolic link at ``path`` is replaced by the file, never written
    through.
    """
    target = Path(path)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise UsageError(f"{target}: the figure format follows the suffix, one of {', '.join(FORMATS)} "
                         f"(got {target.suffix or 'none'!r})")
    from matplotlib import rc_context

    def write(stream: IO[bytes]) -> None:
        with rc_context(STYLE):  # type: ignore[arg-type]  # matplotlib's stubs want literal keys
            figure.savefig(stream, format=fmt, dpi=dpi, metadata=_METADATA[fmt])

    write_atomic(target, write)


def new_figure(width: float, height: float) -> tuple["Figure", "Axes"]:
    """A figure with one axes, not registered with pyplot."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    return figure, figure.add_subplot()


def text(value: object) -> str:
    """A label shown literally: matplotlib would read ``$...$`` as mathematics."""
    return str(value).replace("\\", "\\\\").replace("$", r"\$")

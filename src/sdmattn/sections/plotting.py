"""What every section's figures share: the project style and deterministic vector PDFs.

`new_figure` opens a figure of the report's text width in the project style; `save_pdf` writes it with
no creation date (the same data gives the same bytes) and, inside a stage, with its provenance in the
PDF metadata.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import matplotlib.pyplot as plt  # the Agg backend: set by sdmattn.sections before any figure module loads
import matplotlib.ticker
import numpy as np
from matplotlib.figure import Figure

from ..pipeline.io import atomic_path, current_provenance

LOG10 = np.log(10.0)


def new_figure(style: str | os.PathLike, width_in: float, height_ratio: float, **subplots) -> tuple[Figure, np.ndarray]:
    """A figure in the project style, `width_in` wide, with `plt.subplots(**subplots)` axes (always an array)."""
    plt.style.use(str(style))
    fig, axes = plt.subplots(figsize=(width_in, width_in * height_ratio), squeeze=False, **subplots)
    return fig, axes


def readable_log_axis(axis) -> None:
    """A log axis labelled at 1, 2 and 5 times each power of ten in plain numbers (readable when it spans
    less than a decade), no minor labels."""
    axis.set_major_locator(matplotlib.ticker.LogLocator(base=10.0, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
    axis.set_minor_formatter(matplotlib.ticker.NullFormatter())


def save_pdf(fig: Figure, path: str | os.PathLike) -> Path:
    """Save as a vector PDF with fixed metadata (no creation date): byte-identical for identical data.
    Inside a stage the provenance goes into the metadata (Subject: stage and commit; Keywords: the rest)."""
    meta = {"CreationDate": None, "ModDate": None, "Creator": "sdmattn"}
    attrs = current_provenance()
    if attrs:
        meta["Subject"] = f"sdmattn stage {attrs.get('stage')}, git commit {attrs.get('git_commit')}"
        meta["Keywords"] = json.dumps({"package_versions": json.loads(attrs.get("package_versions") or "{}"),
                                       "resolved_config": attrs.get("resolved_config", "")})
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="pdf", metadata=meta)
    plt.close(fig)
    return Path(path)

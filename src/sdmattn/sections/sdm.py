"""Section "Sparse Distributed Memory": the SDM schematic, drawn from a seeded, measured toy memory.

- datasets: `schematic_layout(seed)` draws a 2-D toy memory (random neurons in the unit square, two
  patterns with write circles, a query with a read circle) and measures it: which neurons each circle
  holds and the exact area of each query–pattern circle intersection (the pattern view's weights);
- figures: `plot_schematic` only draws what the layout says;
- report: `schematic_values` (the caption's counts and weights).
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from .latex import fixed
from .plotting import new_figure


# Datasets -----------------------------------------------------------------------------------------


def lens_area(radius_a: float, radius_b: float, distance: float) -> float:
    """Area of the intersection of two discs (radii a, b) whose centres are `distance` apart."""
    a, b, c = float(radius_a), float(radius_b), float(distance)
    if c >= a + b:
        return 0.0
    if c <= abs(a - b):
        return math.pi * min(a, b) ** 2
    alpha = math.acos((c * c + a * a - b * b) / (2 * c * a))
    beta = math.acos((c * c + b * b - a * a) / (2 * c * b))
    return a * a * (alpha - math.sin(2 * alpha) / 2) + b * b * (beta - math.sin(2 * beta) / 2)


def schematic_layout(seed: int = 0, neurons: int = 90, radius: float = 0.2) -> xr.Dataset:
    """A seeded toy SDM in the unit square: neuron positions, pattern and query centres, and the
    circle memberships and intersection areas that the schematic shows."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0.05, 0.95, size=(neurons, 2))
    centres = np.array([[0.40, 0.58], [0.68, 0.40], [0.52, 0.52]])  # pattern a (nearer the query), b, query
    names = ["pattern_a", "pattern_b", "query"]
    inside = np.linalg.norm(xy[:, None, :] - centres[None, :, :], axis=2) <= radius  # (neuron, circle)
    dist_to_query = np.linalg.norm(centres[:2] - centres[2], axis=1)
    lens = np.array([lens_area(radius, radius, dq) for dq in dist_to_query])
    if lens.sum() == 0:
        raise ValueError(f"radius {radius} is too small: no pattern circle meets the query's")
    return xr.Dataset(
        {
            "neuron_xy": (("neuron", "axis"), xy),
            "centre_xy": (("circle", "axis"), centres),
            "inside": (("neuron", "circle"), inside),
            "intersection_area": ("pattern", lens, {"long_name": "area of the query circle ∩ pattern circle"}),
            "weight": ("pattern", lens / lens.sum(), {"long_name": "normalised pattern-view weight"}),
        },
        coords={"circle": names, "pattern": names[:2], "axis": ["x", "y"]},
        attrs={"seed": seed, "radius": radius},
    )


# Figures ------------------------------------------------------------------------------------------


def plot_schematic(layout: xr.Dataset, style, width_in: float):
    """(a) neuron view: writes into the neurons inside each pattern's circle, a read sums the
    neurons inside the query's circle; (b) pattern view: each pattern weighted by its intersection."""
    import matplotlib.patches as mpatches

    fig, axes = new_figure(style, width_in, 0.5, ncols=2)
    radius = float(layout.attrs["radius"])
    xy, centres = layout["neuron_xy"].values, layout["centre_xy"].values
    inside = layout["inside"].values
    colours = {"pattern_a": "C0", "pattern_b": "C1", "query": "C2"}
    labels = {"pattern_a": r"pattern $p^a$", "pattern_b": r"pattern $p^b$", "query": r"query $\xi$"}
    for ax in axes[0]:
        ax.set_aspect("equal")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.axis("off")
        for k, name in enumerate(layout["circle"].values):
            style_kw = {"ls": "--"} if name == "query" else {}
            ax.add_patch(mpatches.Circle(centres[k], radius, fill=False, color=colours[name], lw=1.2, **style_kw))
            ax.plot(*centres[k], marker="x" if name == "query" else "*", color=colours[name], ms=7, label=labels[name])
    ax = axes[0, 0]
    written_a, written_b, read = inside[:, 0], inside[:, 1], inside[:, 2]
    ax.plot(*xy[~(written_a | written_b)].T, ".", color="0.7", ms=4, label="neuron")
    ax.plot(*xy[written_a & ~written_b].T, "o", color="C0", ms=3.5, label=r"holds $p^a$")
    ax.plot(*xy[written_b & ~written_a].T, "o", color="C1", ms=3.5, label=r"holds $p^b$")
    ax.plot(*xy[written_a & written_b].T, "o", color="C3", ms=4.5, label="holds both")
    ax.plot(*xy[read].T, "o", mfc="none", mec="k", ms=7, mew=0.8, label=r"read by $\xi$")
    ax.set_title("(a) neuron view: write and read")
    ax.legend(loc="lower left", fontsize=5.5, ncol=2)
    ax = axes[0, 1]
    gx, gy = np.meshgrid(np.linspace(0, 1, 400), np.linspace(0, 1, 400))
    for k, name in enumerate(layout["pattern"].values):
        lens = (np.hypot(gx - centres[k, 0], gy - centres[k, 1]) <= radius) & (
            np.hypot(gx - centres[2, 0], gy - centres[2, 1]) <= radius
        )
        ax.contourf(gx, gy, lens.astype(float), levels=[0.5, 1.5], colors=[colours[name]], alpha=0.35)
        w = float(layout["weight"].sel(pattern=name))
        ax.annotate(f"weight {w:.2f}", centres[k], xytext=(0, -radius * 130), textcoords="offset points",
                    ha="center", fontsize=7, color=colours[name])
    ax.set_title(r"(b) pattern view: weight $\propto$ intersection")
    return fig


# Report values and tables -------------------------------------------------------------------------


def schematic_values(layout: xr.Dataset) -> dict[str, str]:
    """Macros for the schematic's caption: neuron counts and the pattern-view weights."""
    inside = layout["inside"].values
    return {
        "schematic/neurons": str(inside.shape[0]),
        "schematic/both": str(int((inside[:, 0] & inside[:, 1]).sum())),
        "schematic/read": str(int(inside[:, 2].sum())),
        "schematic/weighta": fixed(float(layout["weight"].sel(pattern="pattern_a")), 2),
        "schematic/weightb": fixed(float(layout["weight"].sel(pattern="pattern_b")), 2),
    }

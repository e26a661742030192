"""Section "The cerebellum as an SDM": the cerebellar circuit read as Kanerva's memory.

- datasets: none (the circuit is a diagram);
- figures: `plot_cerebellum`;
- report: no generated values.
"""

from __future__ import annotations

import numpy as np

from .plotting import new_figure


# Figures ------------------------------------------------------------------------------------------


def plot_cerebellum(style, width_in: float):
    """The cerebellar circuit as SDM: mossy fibres (query address) → granule cells (neurons) →
    parallel fibres → Purkinje cell (weighted sum, threshold); climbing fibre (write signal)."""
    from matplotlib.patches import Ellipse

    fig, axes = new_figure(style, width_in, 0.42)
    ax = axes[0, 0]
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 4.2)
    ax.axis("off")
    rng = np.random.default_rng(0)
    mossy_y = np.linspace(0.6, 3.6, 5)
    granule_x = np.linspace(3.2, 6.2, 9)
    for y in mossy_y:
        ax.annotate("", (2.1, y), (0.4, y), arrowprops={"arrowstyle": "->", "color": "C0", "lw": 1.0})
    ax.text(0.4, 3.95, "mossy fibres\n(query address)", color="C0", fontsize=7, va="bottom")
    for i, gx in enumerate(granule_x):
        for y in rng.choice(mossy_y, size=4, replace=False):  # each granule cell samples about four mossy fibres
            ax.plot([2.1, gx], [y, 0.9 + 0.25 * (i % 3)], color="C0", lw=0.4, alpha=0.6)
        ax.plot(gx, 0.9 + 0.25 * (i % 3), "o", color="C2", ms=5)
        ax.plot([gx, gx], [0.9 + 0.25 * (i % 3), 3.3], color="C2", lw=0.6)
    ax.text(3.0, 0.2, "granule cells (neurons / hard locations)", color="C2", fontsize=7)
    ax.plot([3.0, 9.3], [3.3, 3.3], color="C2", lw=1.2)
    ax.text(6.6, 3.45, "parallel fibres", color="C2", fontsize=7)
    ax.add_patch(Ellipse((8.2, 2.0), 0.7, 0.45, color="C1"))
    for x in np.linspace(7.5, 8.9, 6):
        ax.plot([8.2, x], [2.2, 3.3], color="C1", lw=0.8)
    ax.text(8.45, 0.75, "Purkinje cell\n(synapses store values;\nweighted sum, threshold)", color="C1", fontsize=7)
    ax.annotate("", (8.2, 1.78), (8.2, 0.3), arrowprops={"arrowstyle": "->", "color": "C3", "lw": 1.0})
    ax.text(6.0, 0.05, "climbing fibre (write signal)", color="C3", fontsize=7)
    ax.annotate("", (9.9, 2.0), (8.6, 2.0), arrowprops={"arrowstyle": "->", "color": "C1", "lw": 1.0})
    return fig

import math

import numpy as np
import pytest

from sdmattn.sections import sdm as schematic
from sdmattn.sections.cerebellum import plot_cerebellum
from sdmattn.sections.plotting import save_pdf


@pytest.mark.parametrize("a, b, c", [(0.2, 0.2, 0.1), (0.2, 0.3, 0.25), (0.3, 0.1, 0.05), (0.2, 0.2, 0.39)])
def test_lens_area_against_monte_carlo(a, b, c):
    rng = np.random.default_rng(1)
    pts = rng.uniform(-a, a, size=(400_000, 2))
    in_a = np.hypot(pts[:, 0], pts[:, 1]) <= a
    in_b = np.hypot(pts[:, 0] - c, pts[:, 1]) <= b
    frac = np.mean(in_a & in_b)
    estimate, se = frac * (2 * a) ** 2, math.sqrt(frac * (1 - frac) / len(pts)) * (2 * a) ** 2
    assert abs(schematic.lens_area(a, b, c) - estimate) <= 5 * se + 1e-12


def test_lens_area_limits():
    assert schematic.lens_area(0.2, 0.2, 0.0) == pytest.approx(math.pi * 0.04)
    assert schematic.lens_area(0.2, 0.1, 0.05) == pytest.approx(math.pi * 0.01)  # small disc inside
    assert schematic.lens_area(0.2, 0.2, 0.4) == 0.0 and schematic.lens_area(0.2, 0.2, 0.5) == 0.0


def test_layout_is_seeded_and_consistent():
    a, b = schematic.schematic_layout(0), schematic.schematic_layout(0)
    np.testing.assert_array_equal(a["neuron_xy"].values, b["neuron_xy"].values)
    assert not np.array_equal(a["neuron_xy"].values, schematic.schematic_layout(1)["neuron_xy"].values)
    xy, centres, r = a["neuron_xy"].values, a["centre_xy"].values, a.attrs["radius"]
    for k in range(3):
        np.testing.assert_array_equal(a["inside"].values[:, k], np.hypot(*(xy - centres[k]).T) <= r)
    assert float(a["weight"].sum()) == pytest.approx(1.0)


def test_figures_deterministic(tmp_path):
    style = "figures/sdmattn.mplstyle"
    lay = schematic.schematic_layout(0)
    paths = [save_pdf(schematic.plot_schematic(lay, style, 6.3), tmp_path / f"s{i}.pdf") for i in range(2)]
    assert paths[0].read_bytes() == paths[1].read_bytes()
    one = save_pdf(plot_cerebellum(style, 6.3), tmp_path / "c1.pdf").read_bytes()
    assert one == save_pdf(plot_cerebellum(style, 6.3), tmp_path / "c2.pdf").read_bytes()

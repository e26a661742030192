"""The intersection and β sections' datasets and figures, against exact values and their own bytes."""
from pathlib import Path

import numpy as np
import pytest

from sdmattn.sections.beta import beta_fit_dataset, combine_beta_fits, plot_weight_comparison
from sdmattn.sections.intersection import intersection_dataset
from sdmattn.sections.plotting import save_pdf


def test_intersection_dataset_labelled():
    ds = intersection_dataset(64)
    assert ds["log_intersection"].dims == ("d", "dv") and ds.attrs["n"] == 64
    assert float(np.exp(ds["log_intersection"].sel(d=11, dv=2))) == pytest.approx(311949983890, rel=1e-12)
    assert float(np.exp(ds["log_space_fraction"].sel(d=15))) == pytest.approx(1.2182286e-5, rel=1e-7)


def test_beta_fit_dataset_default_range_and_values():
    fits = beta_fit_dataset(intersection_dataset(64))
    assert list(fits["d"].values) == list(range(2, 32))  # 2 <= d < n/2
    assert round(float(fits["beta_published"].sel(d=11)), 4) == 15.8528
    assert round(float(fits["beta_ols"].sel(d=15)), 4) == 9.4364
    narrow = beta_fit_dataset(intersection_dataset(64), 5, 11)
    assert list(narrow["d"].values) == list(range(5, 12))
    with pytest.raises(ValueError, match="no radius to fit for n=4"):
        beta_fit_dataset(intersection_dataset(4))


def test_combine_pads_with_nan():
    fits = [beta_fit_dataset(intersection_dataset(n)) for n in (16, 8)]
    out = combine_beta_fits(fits)
    assert list(out["n"].values) == [8, 16] and out["beta_ols"].dims == ("n", "d")
    assert np.isnan(float(out["beta_ols"].sel(n=8, d=7))) and np.isfinite(float(out["beta_ols"].sel(n=16, d=7)))
    with pytest.raises(ValueError, match="no β fit tables"):
        combine_beta_fits([])


def test_figures_are_deterministic_and_text_width(tmp_path):
    from pypdf import PdfReader

    style = Path(__file__).resolve().parents[2] / "figures" / "sdmattn.mplstyle"
    table = intersection_dataset(64)
    fits = beta_fit_dataset(table)
    paths = []
    for i in range(2):
        fig = plot_weight_comparison(table, fits, [5, 11, 15], style, 6.3)
        paths.append(save_pdf(fig, tmp_path / f"w{i}.pdf"))
    assert paths[0].read_bytes() == paths[1].read_bytes()
    box = PdfReader(paths[0]).pages[0].mediabox
    assert float(box.width) == pytest.approx(6.3 * 72)

import json
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from sdmattn import io, tables


def test_intersection_dataset_labelled():
    ds = tables.intersection_dataset(64)
    assert ds["log_intersection"].dims == ("d", "dv") and ds.attrs["n"] == 64
    assert float(np.exp(ds["log_intersection"].sel(d=11, dv=2))) == pytest.approx(311949983890, rel=1e-12)
    assert float(np.exp(ds["log_space_fraction"].sel(d=15))) == pytest.approx(1.2182286e-5, rel=1e-7)


def test_beta_fit_dataset_default_range_and_values():
    fits = tables.beta_fit_dataset(tables.intersection_dataset(64))
    assert list(fits["d"].values) == list(range(2, 32))  # 2 <= d < n/2
    assert round(float(fits["beta_published"].sel(d=11)), 4) == 15.8528
    assert round(float(fits["beta_ols"].sel(d=15)), 4) == 9.4364
    narrow = tables.beta_fit_dataset(tables.intersection_dataset(64), 5, 11)
    assert list(narrow["d"].values) == list(range(5, 12))
    with pytest.raises(ValueError, match="no radius to fit for n=4"):
        tables.beta_fit_dataset(tables.intersection_dataset(4))


def test_combine_pads_with_nan():
    fits = [tables.beta_fit_dataset(tables.intersection_dataset(n)) for n in (16, 8)]
    out = tables.combine_beta_fits(fits)
    assert list(out["n"].values) == [8, 16] and out["beta_ols"].dims == ("n", "d")
    assert np.isnan(float(out["beta_ols"].sel(n=8, d=7))) and np.isfinite(float(out["beta_ols"].sel(n=16, d=7)))
    with pytest.raises(ValueError, match="no β fit tables"):
        tables.combine_beta_fits([])


def test_write_load_roundtrip_with_provenance(tmp_path):
    ds = tables.intersection_dataset(16)
    attrs = io.provenance("intersection_table", {"n": 16}, "sweep:\n  n: [16]\n")
    path = io.write_table(ds, tmp_path / "sub" / "n16.nc", attrs)
    back = io.load_table(path)
    xr.testing.assert_identical(back.drop_attrs(), ds.drop_attrs())
    assert back.attrs["stage"] == "intersection_table"
    assert json.loads(back.attrs["stage_params"]) == {"n": 16}
    assert "jax" in json.loads(back.attrs["package_versions"])
    assert back.attrs["resolved_config"].startswith("sweep:")
    assert back.attrs["git_commit"]
    assert oct(path.stat().st_mode & 0o777) != oct(0o600)  # ordinary permissions, not mkstemp's


def test_failed_write_leaves_nothing(tmp_path):
    target = tmp_path / "t.nc"
    target.write_bytes(b"previous")
    bad = xr.Dataset({"x": ("i", np.array([object(), object()]))})
    with pytest.raises(Exception):
        io.write_table(bad, target)
    assert target.read_bytes() == b"previous"  # the old file is untouched
    assert [p.name for p in tmp_path.iterdir()] == ["t.nc"]  # no temporary left behind


def test_load_missing_table(tmp_path):
    with pytest.raises(FileNotFoundError, match="no table at"):
        io.load_table(tmp_path / "missing.nc")


def test_figures_are_deterministic_and_text_width(tmp_path):
    from pypdf import PdfReader

    from sdmattn import figures

    style = Path(__file__).resolve().parents[1] / "figures" / "sdmattn.mplstyle"
    table = tables.intersection_dataset(64)
    fits = tables.beta_fit_dataset(table)
    paths = []
    for i in range(2):
        fig = figures.plot_weight_comparison(table, fits, [5, 11, 15], style, 6.3)
        paths.append(figures.save_pdf(fig, tmp_path / f"w{i}.pdf"))
    assert paths[0].read_bytes() == paths[1].read_bytes()
    box = PdfReader(paths[0]).pages[0].mediabox
    assert float(box.width) == pytest.approx(6.3 * 72)

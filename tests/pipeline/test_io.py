import json

import numpy as np
import pytest
import xarray as xr

from sdmattn.pipeline import io
from sdmattn.sections.intersection import intersection_dataset


def test_write_load_roundtrip_with_provenance(tmp_path):
    ds = intersection_dataset(16)
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



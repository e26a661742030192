"""The companion notebook runs top to bottom with its widgets' default values."""
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "explore.ipynb"


def test_notebook_executes_headlessly(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("JAX_COMPILATION_CACHE_DIR", str(tmp_path / "jax"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")  # committed clean
    # interact() swallows callback errors into its output widget: call each panel with its defaults too
    nb.cells.append(nbformat.v4.new_code_cell("intersection_panel()\nweights_panel()\nprint('panels ok')"))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "'snr': 11" in text and "15.8528" in text  # the optimal-radii cell printed the paper's values
    assert "panels ok" in text


@pytest.mark.parametrize("name", ["explore.ipynb"])
def test_notebook_is_valid(name):
    nbformat.validate(nbformat.read(NOTEBOOK.parent / name, as_version=4))

"""The SLURM profile on a live single-node SLURM cluster: its build of the sweep equals the local one."""
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from builds import SMOKE, copy_repo, differences_from, outputs, snakemake
from slurm_cluster import single_node_cluster, slurm_unavailable

pytestmark = pytest.mark.workflow


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    try:
        import snakemake_executor_plugin_slurm  # noqa: F401
    except ImportError:
        pytest.skip("snakemake-executor-plugin-slurm is not installed (pip install -e .[cluster])")
    reason = slurm_unavailable()
    if reason:
        pytest.skip(reason)
    with single_node_cluster(tmp_path_factory.mktemp("slurm")) as state:
        yield state


# The smallest build that proves the profile: two sweep points (their tables and fits grouped into one
# cluster job) and a job outside the group (a second cluster job).
TARGETS = ("data/beta/n16.nc", "data/beta/n32.nc", "data/schematic.nc")


def test_slurm_profile_builds_what_a_local_build_does(cluster, smoke_build, tmp_path):
    work = copy_repo(tmp_path / "repo")
    start = time.monotonic()
    # The node's cores cap a grouped job (the profile's 8 would never fit this node).
    result = snakemake(work, *TARGETS, "--workflow-profile", "profiles/slurm", "--profile", "profiles/slurm-local",
                       "--cores", str(os.cpu_count() or 1), "--config", SMOKE, timeout=900)
    log = result.stdout + result.stderr
    slurm_logs = "\n".join(p.read_text()[-1500:] for p in sorted((work / ".snakemake" / "slurm_logs").rglob("*.log"))
                           if "Error" in p.read_text()) if result.returncode else ""
    assert result.returncode == 0, log[-4000:] + slurm_logs[-4000:]
    assert "has been submitted with SLURM jobid" in log and "Group job sweep" in log  # through sbatch, sweep grouped
    submitted = {int(j) for j in re.findall(r"submitted with SLURM jobid (\d+)", log)}
    seen = subprocess.run(["squeue", "-h", "-t", "all", "-o", "%i %T"], capture_output=True, text=True, check=True).stdout
    finished = {int(line.split()[0]) for line in seen.splitlines() if line.split()[1] == "COMPLETED"}
    assert submitted <= finished, (submitted - finished, seen)  # SLURM itself ran every job to completion
    built = outputs(work)
    assert set(TARGETS) <= set(built) and len([k for k in built if k.startswith(("data/intersection/", "data/beta/"))]) == 4, sorted(built)
    assert len(submitted) >= 2 and not differences_from(built, smoke_build.outputs), differences_from(built, smoke_build.outputs)
    print(f"SLURM smoke build: {len(submitted)} cluster jobs, {time.monotonic() - start:.0f} s")


def test_profile_declares_portable_resources_and_cluster_keys_only():
    """Rules name threads/mem_mb/runtime/gpu only; partition, account and grouping live in the profile."""
    root = Path(__file__).resolve().parents[2]
    for smk in (root / "workflow" / "rules").glob("*.smk"):
        text = smk.read_text()
        assert "slurm_" not in text and "executor" not in text, smk  # no slurm_partition, slurm_account, ...
    import yaml

    profile = yaml.safe_load((root / "profiles" / "slurm" / "config.yaml").read_text())
    assert profile["executor"] == "slurm" and profile["groups"]["intersection_table"] == "sweep"
    assert profile["group-components"]["sweep"] > 1

# Shared set-up: compose the Hydra config once, validate it, and name the files rules exchange.
import sys
from pathlib import Path

from sdmattn.config import ConfigError, compose, to_yaml

try:
    CFG = compose(config.get("overrides"), config_dir=Path(workflow.basedir) / "config")
except ConfigError as err:
    sys.exit(f"sdmattn: refusing to run: {err}")

config["resolved_yaml"] = to_yaml(CFG)  # provenance for the stages (not a rerun trigger)

SWEEP_N = list(CFG.sweep.n)
REF = CFG.reference
FIG = CFG.figures
ENV_FILE = "../../environment.yml"  # conda: paths are relative to the rule files
REPORT_PDF = "paper/build/report.pdf"
FIGURES = {
    "intersection_decay": "figures/intersection_decay.pdf",
    "weight_comparison": "figures/weight_comparison.pdf",
    "beta_sweep": "figures/beta_sweep.pdf",
}


wildcard_constraints:
    n=r"\d+",


def intersection_file(n):
    return f"data/intersection/n{n}.nc"


def beta_file(n):
    return f"data/beta/n{n}.nc"


def table_mem_mb(wildcards):
    """Memory for an (n+1)^2 float64 table and its working copies, plus the interpreter."""
    return 1000 + 4 * 8 * (int(wildcards.n) + 1) ** 2 // 2**20


def reference_inputs(wildcards):
    """The reference dimension's intersection table and β fits (figures and report read both)."""
    return {"table": intersection_file(REF.n), "fits": beta_file(REF.n)}

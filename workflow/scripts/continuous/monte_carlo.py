"""Stage adapter: one explicit-neuron simulation run, checked before anything is written."""
import sys

from sdmattn.pipeline.io import write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.continuous import MonteCarloMismatch, check_monte_carlo, monte_carlo_dataset

with run_stage(snakemake) as stage:  # noqa: F821 (injected by Snakemake)
    p, name = snakemake.params, snakemake.wildcards.run  # noqa: F821
    run = p.run
    ds = monte_carlo_dataset(int(run["n"]), int(run["r"]), list(run["radii"]), int(run["points"]), p.seed, p.level)
    stage.log.info(f"{ds.attrs['n_outside']} of {ds.sizes['point']} points outside (chance P = {ds.attrs['pvalue']:.3g})")
    try:
        check_monte_carlo(ds, p.alpha, name)
    except MonteCarloMismatch as err:
        stage.log.error("%s", err)
        sys.exit(f"sdmattn: {err}")
    write_table(ds, snakemake.output[0], stage.attrs)  # noqa: F821

"""Stage adapter: figure of β across the sweep (reads the combined β table only)."""
from sdmattn.pipeline.io import load_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.beta import plot_beta_sweep
from sdmattn.sections.plotting import save_pdf

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    save_pdf(plot_beta_sweep(load_table(i.fits), i.style, p.width_in), snakemake.output[0])  # noqa: F821

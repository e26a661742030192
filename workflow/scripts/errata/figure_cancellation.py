"""Stage adapter: the float64 ball-minus-lune form against the exact count (reads the errata table only)."""
from sdmattn.pipeline.io import load_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.errata import plot_cancellation
from sdmattn.sections.plotting import save_pdf

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i = snakemake.input  # noqa: F821
    save_pdf(plot_cancellation(load_table(i.table), i.style, snakemake.params.width_in), snakemake.output[0])  # noqa: F821

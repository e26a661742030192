"""Stage adapter: the closed forms against the exact intersection (reads tables only)."""
from sdmattn.pipeline.io import load_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.continuous import plot_approximation
from sdmattn.sections.plotting import save_pdf

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i = snakemake.input  # noqa: F821
    save_pdf(plot_approximation(load_table(i.table), i.style, snakemake.params.width_in), snakemake.output[0])  # noqa: F821

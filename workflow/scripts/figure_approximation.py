"""Stage adapter: the closed forms against the exact intersection (reads tables only)."""
from sdmattn.figures import plot_approximation, save_pdf
from sdmattn.io import load_table
from sdmattn.stage import run_stage

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i = snakemake.input  # noqa: F821
    save_pdf(plot_approximation(load_table(i.table), i.style, snakemake.params.width_in), snakemake.output[0])  # noqa: F821

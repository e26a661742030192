"""Stage adapter: figure of β* against context length (reads the context table only)."""
from sdmattn.figures import plot_beta_vs_context, save_pdf
from sdmattn.io import load_table
from sdmattn.stage import run_stage

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    save_pdf(plot_beta_vs_context(load_table(i.context), i.style, p.width_in), snakemake.output[0])  # noqa: F821

"""Stage adapter: figure of β* against context length (reads the context table only)."""
from sdmattn.pipeline.io import load_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.optimal import plot_beta_vs_context
from sdmattn.sections.plotting import save_pdf

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    save_pdf(plot_beta_vs_context(load_table(i.context), i.style, p.width_in), snakemake.output[0])  # noqa: F821

"""Stage adapter: figure comparing binary SDM weights with softmax(β cos) (reads tables only)."""
from sdmattn.pipeline.io import load_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.beta import plot_weight_comparison
from sdmattn.sections.plotting import save_pdf

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    fig = plot_weight_comparison(load_table(i.table), load_table(i.fits), list(p.radii), i.style, p.width_in)
    save_pdf(fig, snakemake.output[0])  # noqa: F821

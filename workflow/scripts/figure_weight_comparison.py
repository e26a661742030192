"""Stage adapter: figure comparing binary SDM weights with softmax(β cos) (reads tables only)."""
from sdmattn.figures import plot_weight_comparison, save_pdf
from sdmattn.io import load_table
from sdmattn.stage import run_stage

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    fig = plot_weight_comparison(load_table(i.table), load_table(i.fits), list(p.radii), i.style, p.width_in)
    save_pdf(fig, snakemake.output[0])  # noqa: F821

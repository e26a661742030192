"""Stage adapter: figure of the exponential decay of the intersection (reads tables only)."""
from sdmattn.pipeline.io import load_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.intersection import plot_intersection_decay
from sdmattn.sections.plotting import save_pdf

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    fig = plot_intersection_decay(load_table(i.table), load_table(i.fits), p.d, p.log2_r, i.style, p.width_in)
    save_pdf(fig, snakemake.output[0])  # noqa: F821

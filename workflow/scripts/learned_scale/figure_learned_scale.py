"""Stage adapter: learned g* against noise and memory size, with the β* (reads tables only)."""
from sdmattn.pipeline.io import load_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.learned_scale import plot_learned_scale
from sdmattn.sections.plotting import save_pdf

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    save_pdf(plot_learned_scale(load_table(i.random), load_table(i.digits), i.style, p.width_in), snakemake.output[0])  # noqa: F821

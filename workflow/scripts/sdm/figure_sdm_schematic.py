"""Stage adapter: the SDM schematic figure (reads the layout table only)."""
from sdmattn.pipeline.io import load_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.plotting import save_pdf
from sdmattn.sections.sdm import plot_schematic

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    save_pdf(plot_schematic(load_table(i.layout), i.style, p.width_in), snakemake.output[0])  # noqa: F821

"""Stage adapter: the binary/continuous/softmax comparison grid figure (reads tables only)."""
from sdmattn.pipeline.io import load_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.continuous import plot_weightings
from sdmattn.sections.plotting import save_pdf

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i = snakemake.input  # noqa: F821
    fig = plot_weightings([load_table(path) for path in i.tables], i.style, snakemake.params.width_in)  # noqa: F821
    save_pdf(fig, snakemake.output[0])  # noqa: F821

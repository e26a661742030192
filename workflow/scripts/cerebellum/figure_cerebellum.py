"""Stage adapter: the cerebellar circuit diagram."""
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.cerebellum import plot_cerebellum
from sdmattn.sections.plotting import save_pdf

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    save_pdf(plot_cerebellum(snakemake.input.style, snakemake.params.width_in), snakemake.output[0])  # noqa: F821

"""Stage adapter: the cerebellar circuit diagram."""
from sdmattn.figures import save_pdf
from sdmattn.schematic import plot_cerebellum
from sdmattn.stage import run_stage

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    save_pdf(plot_cerebellum(snakemake.input.style, snakemake.params.width_in), snakemake.output[0])  # noqa: F821

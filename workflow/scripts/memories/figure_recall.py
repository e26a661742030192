"""Stage adapter: recall cosine against noise for every dataset and radius (reads tables only)."""
from sdmattn.pipeline.io import load_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.memories import plot_recall
from sdmattn.sections.plotting import save_pdf

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    tables = {ds.attrs["name"]: ds for ds in map(load_table, i.tables)}
    neuron = {ds.attrs["name"]: ds for ds in map(load_table, i.neuron)}
    save_pdf(plot_recall(tables, neuron, i.style, p.width_in), snakemake.output[0])  # noqa: F821

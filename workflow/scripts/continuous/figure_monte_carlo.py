"""Stage adapter: simulated neuron counts against the exact expectations (reads tables only)."""
from sdmattn.pipeline.io import load_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.continuous import plot_monte_carlo
from sdmattn.sections.plotting import save_pdf

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    runs = {name: load_table(path) for name, path in zip(p.names, i.runs)}
    save_pdf(plot_monte_carlo(runs, i.style, p.width_in), snakemake.output[0])  # noqa: F821

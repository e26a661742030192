"""Stage adapter: figure of the critical distance against r and d (reads the curves table only)."""
from sdmattn.figures import plot_critical_distance, save_pdf
from sdmattn.io import load_table
from sdmattn.stage import run_stage

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    save_pdf(plot_critical_distance(load_table(i.curves), i.style, p.width_in), snakemake.output[0])  # noqa: F821

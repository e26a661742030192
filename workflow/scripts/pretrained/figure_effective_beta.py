"""Stage adapter: effective β of the pre-trained encoders against β* (reads tables only)."""
from sdmattn.pipeline.io import load_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.plotting import save_pdf
from sdmattn.sections.pretrained import plot_effective_beta

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    tables = [load_table(t) for t in i.tables]
    optimal = load_table(i.optimal)
    rows = [optimal.sel(setting=s) for s in p.settings]
    fig = plot_effective_beta(tables, rows, [t.attrs["label"] for t in tables], i.style, p.width_in)
    save_pdf(fig, snakemake.output[0])  # noqa: F821

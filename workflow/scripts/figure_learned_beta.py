"""Stage adapter: the learned-β histogram with the optimal β* lines (reads tables only)."""
from sdmattn.figures import plot_learned_beta, save_pdf
from sdmattn.io import load_table
from sdmattn.published import read_published_betas
from sdmattn.stage import run_stage

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    published = read_published_betas(i.published[0]) if len(i.published) else None
    fig = plot_learned_beta(load_table(i.runs), load_table(i.optimal).sel(setting="learned_beta"), published, i.style, p.width_in)
    save_pdf(fig, snakemake.output[0])  # noqa: F821

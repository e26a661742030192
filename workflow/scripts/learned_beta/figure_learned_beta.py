"""Stage adapter: the learned-β histogram with the optimal β* lines (reads tables only)."""
from sdmattn.learned.published import read_published_betas
from sdmattn.pipeline.io import load_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.learned_beta import plot_learned_beta
from sdmattn.sections.plotting import save_pdf

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    published = read_published_betas(i.published[0]) if len(i.published) else None
    fig = plot_learned_beta(load_table(i.runs), load_table(i.optimal).sel(setting="learned_beta"), published, i.style, p.width_in)
    save_pdf(fig, snakemake.output[0])  # noqa: F821

"""Stage adapter: the per-n β fits stacked into one (n, d) table."""
from sdmattn.pipeline.io import load_table, write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.beta import combine_beta_fits

with run_stage(snakemake, jax=False) as stage:  # noqa: F821 (injected by Snakemake)
    table = combine_beta_fits([load_table(path) for path in snakemake.input.fits])  # noqa: F821
    write_table(table, snakemake.output[0], stage.attrs)  # noqa: F821

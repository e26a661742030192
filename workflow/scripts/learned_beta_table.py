"""Stage adapter: stack the training runs into one table."""
from sdmattn.io import load_table, write_table
from sdmattn.stage import run_stage
from sdmattn.training import combine_runs

with run_stage(snakemake, jax=False) as stage:  # noqa: F821 (injected by Snakemake)
    write_table(combine_runs([load_table(p) for p in snakemake.input.runs]), snakemake.output[0], stage.attrs)  # noqa: F821

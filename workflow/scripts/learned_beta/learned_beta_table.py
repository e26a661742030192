"""Stage adapter: stack the training runs into one table."""
from sdmattn.pipeline.io import load_table, write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.learned_beta import combine_runs

with run_stage(snakemake, jax=False) as stage:  # noqa: F821 (injected by Snakemake)
    write_table(combine_runs([load_table(p) for p in snakemake.input.runs]), snakemake.output[0], stage.attrs)  # noqa: F821

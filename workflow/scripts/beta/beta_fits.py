"""Stage adapter: β fits for every radius of one intersection table."""
from sdmattn.pipeline.io import load_table, write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.beta import beta_fit_dataset

with run_stage(snakemake) as stage:  # noqa: F821 (injected by Snakemake)
    p = snakemake.params  # noqa: F821
    fits = beta_fit_dataset(load_table(snakemake.input.table), p.d_min, p.d_max)  # noqa: F821
    write_table(fits, snakemake.output[0], stage.attrs)  # noqa: F821

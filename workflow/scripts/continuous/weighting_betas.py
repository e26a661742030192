"""Stage adapter: one table of every (n, d) β of the comparison grid."""
from sdmattn.pipeline.io import load_table, write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.continuous import weighting_betas

with run_stage(snakemake, jax=False) as stage:  # noqa: F821 (injected by Snakemake)
    tables = [load_table(path) for path in snakemake.input.tables]  # noqa: F821
    write_table(weighting_betas(tables), snakemake.output[0], stage.attrs)  # noqa: F821

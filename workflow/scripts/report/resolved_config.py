"""Stage adapter: write the resolved config, the record of what this build used."""
from sdmattn.pipeline.io import write_text
from sdmattn.pipeline.stage import run_stage

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    write_text(snakemake.output[0], snakemake.params.yaml)  # noqa: F821

"""Stage adapter: the seeded, measured layout of the SDM schematic."""
from sdmattn.pipeline.io import write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.sdm import schematic_layout

with run_stage(snakemake, jax=False) as stage:  # noqa: F821 (injected by Snakemake)
    p = snakemake.params  # noqa: F821
    write_table(schematic_layout(p.seed, p.neurons, p.radius), snakemake.output[0], stage.attrs)  # noqa: F821

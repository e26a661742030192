"""Stage adapter: the exact intersection with its dominant term, bounds and exponential law."""
from sdmattn.pipeline.io import write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.continuous import approximation_dataset

with run_stage(snakemake) as stage:  # noqa: F821 (injected by Snakemake)
    p = snakemake.params  # noqa: F821
    write_table(approximation_dataset(p.n, list(p.radii)), snakemake.output[0], stage.attrs)  # noqa: F821

"""Stage adapter: Kanerva's book table beside the exact expectations."""
from sdmattn.pipeline.io import write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.continuous import kanerva_dataset

with run_stage(snakemake) as stage:  # noqa: F821 (injected by Snakemake)
    p = snakemake.params  # noqa: F821
    write_table(kanerva_dataset(p.n, p.d, p.r, list(p.dv), list(p.book)), snakemake.output[0], stage.attrs)  # noqa: F821

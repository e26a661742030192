"""Stage adapter: the exact log intersection table of one dimension n (the rule's wildcard)."""
from sdmattn.pipeline.io import write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.intersection import intersection_dataset

with run_stage(snakemake) as stage:  # noqa: F821 (injected by Snakemake)
    n = int(snakemake.wildcards.n)  # noqa: F821
    write_table(intersection_dataset(n), snakemake.output[0], stage.attrs)  # noqa: F821

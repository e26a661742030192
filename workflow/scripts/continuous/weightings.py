"""Stage adapter: binary/continuous SDM and softmax weights with their β for one dimension of the grid."""
from sdmattn.pipeline.io import write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.continuous import weightings_dataset

with run_stage(snakemake) as stage:  # noqa: F821 (injected by Snakemake)
    n = int(snakemake.wildcards.n)  # noqa: F821
    write_table(weightings_dataset(n, list(snakemake.params.p)), snakemake.output[0], stage.attrs)  # noqa: F821

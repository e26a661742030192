"""Stage adapter: every erratum computed the published way and the corrected way."""
from sdmattn.pipeline.io import write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.errata import errata_dataset

with run_stage(snakemake) as stage:  # noqa: F821 (injected by Snakemake)
    p = snakemake.params  # noqa: F821
    ds = errata_dataset(p.ref_n, list(p.radii), p.r, p.ref_m, p.float_n, p.float_d, p.cont_d)
    write_table(ds, snakemake.output[0], stage.attrs)  # noqa: F821

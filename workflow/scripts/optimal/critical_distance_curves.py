"""Stage adapter: CD against r at fixed radii, and against d at the reference r."""
from sdmattn.pipeline.io import load_table, write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.optimal import critical_distance_dataset, log2_r_grid

with run_stage(snakemake) as stage:  # noqa: F821 (injected by Snakemake)
    p = snakemake.params  # noqa: F821
    grid = log2_r_grid(p.log10_r_min, p.log2_r_max, p.points)
    ds = critical_distance_dataset(load_table(snakemake.input.table), p.m, list(p.radii), grid, p.reference_log2_r)  # noqa: F821
    write_table(ds, snakemake.output[0], stage.attrs)  # noqa: F821

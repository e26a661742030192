"""Stage adapter: the optimal-radius table for every memory of the config."""
from sdmattn.pipeline.io import load_table, write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.optimal import optimal_radii_dataset

with run_stage(snakemake) as stage:  # noqa: F821 (injected by Snakemake)
    tables = {int(t.attrs["n"]): t["log_intersection"].values for t in map(load_table, snakemake.input.tables)}  # noqa: F821
    write_table(optimal_radii_dataset(snakemake.params.settings, tables), snakemake.output[0], stage.attrs)  # noqa: F821

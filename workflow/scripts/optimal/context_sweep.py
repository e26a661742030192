"""Stage adapter: d* and β* against context length m for each head dimension n (r = 2^n)."""
from sdmattn.pipeline.io import load_table, write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.optimal import context_dataset, context_grid

with run_stage(snakemake) as stage:  # noqa: F821 (injected by Snakemake)
    p = snakemake.params  # noqa: F821
    tables = {int(t.attrs["n"]): t["log_intersection"].values for t in map(load_table, snakemake.input.tables)}  # noqa: F821
    ds = context_dataset(tables, context_grid(p.log2_m_min, p.log2_m_max, p.points))
    write_table(ds, snakemake.output[0], stage.attrs)  # noqa: F821

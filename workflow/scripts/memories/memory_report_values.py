"""Stage adapter: the recall section's macros and recall-limit table."""
from sdmattn.pipeline.io import load_table, write_text
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.latex import macros_tex
from sdmattn.sections.memories import memory_values, recall_limit_table

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, o, p = snakemake.input, snakemake.output, snakemake.params  # noqa: F821
    tables = {ds.attrs["name"]: ds for ds in map(load_table, i.tables)}
    neuron = {ds.attrs["name"]: ds for ds in map(load_table, i.neuron)}
    write_text(o.macros, macros_tex(memory_values(tables, neuron, p.threshold, p.z)))
    write_text(o.table, recall_limit_table(tables, neuron, p.threshold))

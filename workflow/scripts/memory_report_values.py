"""Stage adapter: the recall section's macros and recall-limit table."""
from sdmattn import report
from sdmattn.io import load_table, write_text
from sdmattn.recall_report import memory_values, recall_limit_table
from sdmattn.stage import run_stage

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, o, p = snakemake.input, snakemake.output, snakemake.params  # noqa: F821
    tables = {ds.attrs["name"]: ds for ds in map(load_table, i.tables)}
    neuron = {ds.attrs["name"]: ds for ds in map(load_table, i.neuron)}
    write_text(o.macros, report.macros_tex(memory_values(tables, neuron, p.threshold, p.z)))
    write_text(o.table, recall_limit_table(tables, neuron, p.threshold))

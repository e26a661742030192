"""Stage adapter: the pre-trained-encoder section's macros and table (an empty switch when the stage is off)."""
from sdmattn import report
from sdmattn.io import load_table, write_text
from sdmattn.stage import run_stage

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, o, p = snakemake.input, snakemake.output, snakemake.params  # noqa: F821
    values, table = {"pt/section": ""}, "% the pre-trained-encoder stage is off (pretrained.enabled)\n"
    if p.settings:
        tables = [load_table(t) for t in i.tables]
        optimal = load_table(i.optimal)
        rows = [optimal.sel(setting=s) for s in p.settings]
        labels = [t.attrs["label"] for t in tables]
        values = report.effective_beta_values(tables[0], rows[0], labels[0], tables[0].attrs["distribution"])
        table = report.effective_beta_table(tables, rows, labels)
    write_text(o.macros, report.macros_tex(values))
    write_text(o.table, table)

"""Stage adapter: the pre-trained-encoder section's macros and table (an empty switch when the stage is off)."""
from sdmattn.pipeline.io import load_table, write_text
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.latex import macros_tex
from sdmattn.sections.pretrained import effective_beta_table, effective_beta_values

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, o, p = snakemake.input, snakemake.output, snakemake.params  # noqa: F821
    values, table = {"pt/section": ""}, "% the pre-trained-encoder stage is off (pretrained.enabled)\n"
    if p.settings:
        tables = [load_table(t) for t in i.tables]
        optimal = load_table(i.optimal)
        rows = [optimal.sel(setting=s) for s in p.settings]
        labels = [t.attrs["label"] for t in tables]
        values = effective_beta_values(tables[0], rows[0], labels[0], tables[0].attrs["distribution"])
        table = effective_beta_table(tables, rows, labels)
    write_text(o.macros, macros_tex(values))
    write_text(o.table, table)

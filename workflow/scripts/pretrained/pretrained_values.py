"""Stage adapter: the pre-trained-model section's macros and table (empty switches when the stage is off)."""
from sdmattn.pipeline.io import load_table, write_text
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.latex import macros_tex
from sdmattn.sections.pretrained import decoder_beta_values, effective_beta_table, effective_beta_values

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, o, p = snakemake.input, snakemake.output, snakemake.params  # noqa: F821
    values = {"pt/section": "", "pt/encoder": "", "pt/decoder": ""}
    table = "% the pre-trained-model stage is off (pretrained.enabled)\n"
    if p.settings:
        tables = [load_table(t) for t in i.tables]
        optimal = load_table(i.optimal)
        rows = [optimal.sel(setting=s) for s in p.settings]
        labels = [t.attrs["label"] for t in tables]
        kinds = [t.attrs.get("kind", "encoder") for t in tables]
        for kind, make in (("encoder", effective_beta_values), ("decoder", decoder_beta_values)):
            if kind in kinds:  # the first model of each kind is the one the text describes
                k = kinds.index(kind)
                values |= make(tables[k], rows[k], labels[k], tables[k].attrs["distribution"])
        table = effective_beta_table(tables, rows, labels)
    write_text(o.macros, macros_tex(values))
    write_text(o.table, table)

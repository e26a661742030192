"""Stage adapter: the learned-scale section's macros and table."""
from sdmattn.pipeline.io import load_table, write_text
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.latex import macros_tex
from sdmattn.sections.learned_scale import scale_table, scale_values

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, o, p = snakemake.input, snakemake.output, snakemake.params  # noqa: F821
    random, digits = load_table(i.random), load_table(i.digits)
    write_text(o.macros, macros_tex(scale_values(random, digits, p.reference_m)))
    write_text(o.table, scale_table(random))

"""Stage adapter: the errata section's macros (and what an overlaid file of published QK-norm scales holds)."""
from sdmattn.learned.published import read_published_betas
from sdmattn.pipeline.io import load_table, write_text
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.errata import errata_values
from sdmattn.sections.latex import macros_tex

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i = snakemake.input  # noqa: F821
    published = read_published_betas(i.published[0]) if len(i.published) else None
    write_text(snakemake.output.macros, macros_tex(errata_values(load_table(i.table), published)))  # noqa: F821

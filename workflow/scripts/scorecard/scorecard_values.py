"""Stage adapter: the scorecard's table and macros, from the other sections' tables."""
from sdmattn.pipeline.io import load_table, write_text
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.latex import macros_tex
from sdmattn.sections.scorecard import scorecard_rows, scorecard_table, scorecard_values

with run_stage(snakemake):  # noqa: F821 (injected by Snakemake)
    i, o = snakemake.input, snakemake.output  # noqa: F821
    rows = scorecard_rows(*(load_table(path) for path in (i.fits, i.optimal, i.kanerva, i.critical, i.errata)))
    write_text(o.macros, macros_tex(scorecard_values(rows)))
    write_text(o.table, scorecard_table(rows))

"""Stage adapter: the scorecard's table and macros, from the other sections' tables."""
from sdmattn.pipeline.io import load_table, write_text
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.latex import macros_tex
from sdmattn.sections.scorecard import scorecard_rows, scorecard_table, scorecard_values
from sdmattn.theory.caps import log_cap_fraction

with run_stage(snakemake) as stage:  # noqa: F821 (injected by Snakemake)
    i, o, p = snakemake.input, snakemake.output, snakemake.params  # noqa: F821
    tables = [load_table(path) for path in (i.fits, i.optimal, i.kanerva, i.critical)]
    rows = scorecard_rows(*tables, float(log_cap_fraction(p.cap_n, p.cap_d)))
    write_text(o.macros, macros_tex(scorecard_values(rows)))
    write_text(o.table, scorecard_table(rows))

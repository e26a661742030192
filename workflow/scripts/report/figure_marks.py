"""Stage adapter: the caption mark of every report figure (rule, script, commit; a link with report.repository_url)."""
from pathlib import Path

from sdmattn.pipeline.io import write_text
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.latex import figure_commit, figure_mark, macros_tex

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, p = snakemake.input, snakemake.params  # noqa: F821
    marks = {f"mark/{name}": figure_mark(*p.sources[name], figure_commit(Path(path).read_bytes()), p.repository_url)
             for name, path in zip(p.names, i.figures)}
    write_text(snakemake.output[0], macros_tex(marks))  # noqa: F821

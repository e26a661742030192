"""Stage adapter: the arXiv bundle, every project file the report's build read (latexmk's .fls) plus its .bbl."""
from pathlib import Path

from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.latex import arxiv_members, write_arxiv_bundle

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    p = snakemake.params  # noqa: F821
    members = arxiv_members(Path(p.fls).read_text(), p.paper)
    print(f"sdmattn: arXiv bundle of {len(members)} files: {', '.join(members)}")
    write_arxiv_bundle(members, snakemake.output[0])  # noqa: F821

"""Stage adapter: g learned alone on random memories and on the digits, with the grid-scan oracle."""
from sdmattn.pipeline.io import load_table, write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.learned_scale import digits_scale_dataset, scale_dataset

with run_stage(snakemake) as stage:  # noqa: F821 (injected by Snakemake)
    o, p = snakemake.output, snakemake.params  # noqa: F821
    context = load_table(snakemake.input.context)  # noqa: F821
    write_table(scale_dataset(p.setting, context, stage.log.info), o.random, stage.attrs)
    write_table(digits_scale_dataset(p.setting, context, stage.log.info), o.digits, stage.attrs)

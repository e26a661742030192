"""Stage adapter: one dataset's noisy-recall table (pattern-view memories, or the neuron-SDM job)."""
from sdmattn.pipeline.io import load_table, write_table
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.memories import NEURON_MODELS, PATTERN_MODELS, RecallSetting, recall_radii, recall_table

with run_stage(snakemake) as stage:  # noqa: F821 (injected by Snakemake)
    p = snakemake.params  # noqa: F821
    grid = p.grid
    radii = recall_radii(load_table(snakemake.input.radii).sel(setting=p.row), grid["objectives"], grid["radii"])  # noqa: F821
    models = PATTERN_MODELS if p.models == "pattern" else NEURON_MODELS
    ds = recall_table(RecallSetting(**p.setting), models, radii, grid["k"], grid["queries"], grid["repeats"], stage.log.info)
    write_table(ds, snakemake.output[0], stage.attrs)  # noqa: F821

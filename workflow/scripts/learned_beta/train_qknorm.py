"""Stage adapter: train one QK-norm Transformer and record the scales g it learns."""
from sdmattn.learned.training import TrainConfig, run_dataset, train
from sdmattn.pipeline.io import write_table
from sdmattn.pipeline.stage import run_stage

with run_stage(snakemake, x64=False) as stage:  # noqa: F821 (injected by Snakemake)
    w = snakemake.wildcards  # noqa: F821
    cfg = TrainConfig(task=w.task, seed=int(w.seed), g_init=float(w.g_init), **snakemake.params.train)  # noqa: F821
    result = train(cfg)
    stage.log.info("accuracy %.3f (chance %.3f), loss %.3f, settled %s, %.1f s", result.accuracy, result.chance,
                   result.loss, result.settled, result.wall_s)
    write_table(run_dataset(cfg, result), snakemake.output[0], stage.attrs)  # noqa: F821

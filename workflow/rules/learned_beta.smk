# Learned β: QK-norm Transformers trained on generated tasks, one job per (task, seed, initial g).


rule train_qknorm:
    input:
        lib=library("learned/qknorm", "learned/tasks", "learned/training", "learned/settings", "learned/settle"),
    output:
        "data/learned_beta/runs/{task}_s{seed}_g{g_init}.nc",
    log:
        "data/logs/train_qknorm/{task}_s{seed}_g{g_init}.log",
    message:
        "Train a QK-norm Transformer on {wildcards.task} (seed {wildcards.seed}, g starts at {wildcards.g_init})"
    wildcard_constraints:
        task=r"[a-z]+",
        seed=r"\d+",
        g_init=r"[0-9.e+-]+",
    params:
        train=training_params(),
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
        gpu=LB.gpu,
    conda:
        ENV_FILE
    script:
        "../scripts/learned_beta/train_qknorm.py"


rule learned_beta_table:
    input:
        runs=training_runs(),
        lib=library("sections/learned_beta", "learned/settle"),
    output:
        reported("data/learned_beta/runs.nc", "learned_beta", "learned_runs", "Tables"),
    log:
        "data/logs/learned_beta_table.log",
    message:
        "One table of the learned scales of {params.runs} training runs"
    params:
        runs=len(training_runs()),
    conda:
        ENV_FILE
    script:
        "../scripts/learned_beta/learned_beta_table.py"


rule figure_learned_beta:
    input:
        runs="data/learned_beta/runs.nc",
        optimal="data/optimal/radii.nc",
        published=published_betas,
        style=FIG.style,
        lib=library("sections/learned_beta", "sections/optimal", "sections/plotting", "learned/published", "learned/settle"),
    output:
        reported(FIGURES["learned_beta"], "learned_beta", "learned_beta"),
    log:
        "data/logs/figure_learned_beta.log",
    message:
        "Figure: histogram of learned β against β*_CD, β*_SNR, β*_Mem"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/learned_beta/figure_learned_beta.py"

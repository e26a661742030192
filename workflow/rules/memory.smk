# SDM and attention as associative memories: noisy recall on random and real data (spec section 8).
from sdmattn.recall_settings import neuron_datasets

RECALL_LIB = ["_pattern_memory", "_recall", "_noise", "_caps", "_intersection", "_beta", "_montecarlo", "recall"]
RECALL_TABLES = expand("data/memory/recall_{dataset}.nc", dataset=list(MEM.datasets))
NEURON_TABLES = expand("data/memory/neuron_{dataset}.nc", dataset=neuron_datasets(MEM))


wildcard_constraints:
    dataset=r"[A-Za-z0-9]+",


def recall_setting(wildcards):
    """What fixes one dataset's draws and stopping rule (sdmattn.recall.RecallSetting)."""
    ds = MEM.datasets[wildcards.dataset]
    return {"name": wildcards.dataset, "source": ds.source, "n": ds.n, "m": ds.m, "r": ds.r, "seed": MEM.seed,
            "estimator": MEM.estimator, "max_steps": MEM.max_steps, "tolerance": MEM.tolerance}


def recall_optimal_row(wildcards):
    """The optimal-radius table's row for the dataset's memory (n, m, r)."""
    ds = MEM.datasets[wildcards.dataset]
    return optimal_row_for(ds.n, ds.m, ds.r)


def recall_grid(wildcards):
    """The pattern-view job: every noise level, query and repeat, at the configured radii."""
    ds = MEM.datasets[wildcards.dataset]
    return {"k": list(ds.k), "queries": ds.queries, "repeats": MEM.repeats,
            "objectives": list(MEM.objectives), "radii": list(MEM.radii)}


def neuron_grid(wildcards):
    """The neuron-SDM job: its own noise levels, the first queries of the pattern-view job, its radii."""
    ds = MEM.datasets[wildcards.dataset]
    return {"k": list(ds.neuron_k), "queries": ds.neuron_queries, "repeats": ds.neuron_repeats,
            "objectives": list(ds.neuron_objectives), "radii": []}


def neuron_mem_mb(wildcards):
    """int16 counters (r + 1) x n, twice over while one memory replaces the last, plus the interpreter."""
    ds = MEM.datasets[wildcards.dataset]
    return 2000 + 2 * int((ds.r + 1) * ds.n * 2) // 2**20


rule recall:
    input:
        radii="data/optimal/radii.nc",
        lib=library(*RECALL_LIB),
    output:
        "data/memory/recall_{dataset}.nc",
    log:
        "data/logs/recall/{dataset}.log",
    message:
        "Noisy recall by binary/continuous SDM and attention on {wildcards.dataset}"
    params:
        setting=recall_setting,
        row=recall_optimal_row,
        grid=recall_grid,
        models="pattern",
    resources:
        mem_mb=3000,
        runtime=20,
    conda:
        ENV_FILE
    script:
        "../scripts/recall.py"


rule neuron_recall:
    input:
        radii="data/optimal/radii.nc",
        lib=library(*RECALL_LIB, "_neuron_sdm"),
    output:
        "data/memory/neuron_{dataset}.nc",
    log:
        "data/logs/neuron_recall/{dataset}.log",
    message:
        "Noisy recall by the explicit-neuron SDM and its pattern view on {wildcards.dataset}"
    params:
        setting=recall_setting,
        row=recall_optimal_row,
        grid=neuron_grid,
        models="neuron",
    resources:
        mem_mb=neuron_mem_mb,
        runtime=30,
    conda:
        ENV_FILE
    script:
        "../scripts/recall.py"


rule figure_recall:
    input:
        tables=RECALL_TABLES,
        neuron=NEURON_TABLES,
        style=FIG.style,
        lib=library("recall_figures"),
    output:
        FIGURES["recall"],
    log:
        "data/logs/figure_recall.log",
    message:
        "Figure: recall cosine against noise k, a panel per dataset and radius"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/figure_recall.py"


rule figure_neuron_recall:
    input:
        neuron=NEURON_TABLES,
        style=FIG.style,
        lib=library("recall_figures"),
    output:
        FIGURES["neuron_recall"],
    log:
        "data/logs/figure_neuron_recall.log",
    message:
        "Figure: the explicit-neuron SDM against its pattern view"
    params:
        z=MEM.agreement_z,
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/figure_neuron_recall.py"


rule memory_report_values:
    input:
        tables=RECALL_TABLES,
        neuron=NEURON_TABLES,
        lib=library("recall_report", "recall"),
    output:
        macros="paper/generated/memory.tex",
        table="paper/generated/tables/recall.tex",
    log:
        "data/logs/memory_report_values.log",
    message:
        "Generate the recall section's numbers and table"
    params:
        threshold=MEM.threshold,
        z=MEM.agreement_z,
    conda:
        ENV_FILE
    script:
        "../scripts/memory_report_values.py"

# SDM and attention as associative memories: noisy recall on random and real data (spec section 8).


rule recall:
    input:
        radii="data/optimal/radii.nc",
        lib=library(*RECALL_LIB),
    output:
        reported("data/memory/recall_{dataset}.nc", "memories", "recall_table", "Tables"),
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
        "../scripts/memories/recall.py"


rule neuron_recall:
    input:
        radii="data/optimal/radii.nc",
        lib=library(*RECALL_LIB),
    output:
        reported("data/memory/neuron_{dataset}.nc", "memories", "neuron_table", "Tables"),
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
        "../scripts/memories/recall.py"


rule figure_recall:
    input:
        tables=RECALL_TABLES,
        neuron=NEURON_TABLES,
        style=FIG.style,
        lib=library("sections/memories", "sections/plotting"),
    output:
        reported(FIGURES["recall"], "memories", "recall"),
    log:
        "data/logs/figure_recall.log",
    message:
        "Figure: recall cosine against noise k, a panel per dataset and radius"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/memories/figure_recall.py"


rule figure_neuron_recall:
    input:
        neuron=NEURON_TABLES,
        style=FIG.style,
        lib=library("sections/memories", "sections/plotting"),
    output:
        reported(FIGURES["neuron_recall"], "memories", "neuron_recall"),
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
        "../scripts/memories/figure_neuron_recall.py"


rule memory_report_values:
    input:
        tables=RECALL_TABLES,
        neuron=NEURON_TABLES,
        lib=library("sections/memories", "sections/latex"),
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
        "../scripts/memories/memory_report_values.py"

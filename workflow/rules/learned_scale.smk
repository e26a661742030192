# Attention as an associative memory with only its scale g learned: g* against noise and memory size,
# checked against a grid-scan oracle, beside the β* of the optimal radii (issue 14, part 1).


rule learned_scale:
    priority: 1  # the longest chain (see intersection_table)
    input:
        context="data/optimal/context.nc",
        lib=library("learned/scale", "learned/random_memory", "learned/settings", "learned/settle", "theory/noise", "sections/learned_scale", "sections/memories"),
    output:
        random=reported("data/learned_scale/random.nc", "learned_scale", "learned_scale_table", "Tables"),
        digits="data/learned_scale/digits.nc",
    log:
        "data/logs/learned_scale.log",
    message:
        "Learn the softmax scale g alone on random memories (m in {params.ms}) and on the digits"
    params:
        setting=learned_scale_setting(),
        ms=list(LS.m),
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV_FILE
    script:
        "../scripts/learned_scale/learned_scale.py"


rule figure_learned_scale:
    input:
        random="data/learned_scale/random.nc",
        digits="data/learned_scale/digits.nc",
        style=FIG.style,
        lib=library("sections/learned_scale", "sections/optimal", "sections/plotting"),
    output:
        reported(FIGURES["learned_scale"], "learned_scale", "learned_scale"),
    log:
        "data/logs/figure_learned_scale.log",
    message:
        "Figure: learned g* against noise k and memory size m, with the β*"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/learned_scale/figure_learned_scale.py"


rule learned_scale_values:
    input:
        random="data/learned_scale/random.nc",
        digits="data/learned_scale/digits.nc",
        lib=library("sections/learned_scale", "sections/optimal", "sections/latex"),
    output:
        macros="paper/generated/learned_scale.tex",
        table="paper/generated/tables/learned_scale.tex",
    log:
        "data/logs/learned_scale_values.log",
    message:
        "Generate the learned-scale section's numbers and table"
    params:
        reference_m=REF.m,
    conda:
        ENV_FILE
    script:
        "../scripts/learned_scale/learned_scale_values.py"

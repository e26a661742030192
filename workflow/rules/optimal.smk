# Optimal radii d* and their β* for SNR, capacity and critical distance; CD against r; β* against context.


rule optimal_radii:
    input:
        tables=optimal_table_inputs,
        lib=library("theory/optimal", "theory/beta", "theory/binomial", "theory/constants", "sections/optimal"),
    output:
        reported("data/optimal/radii.nc", "optimal", "optimal_radii", "Tables"),
    log:
        "data/logs/optimal_radii.log",
    message:
        "Optimal radii d* and β* (SNR, capacity, critical distance) for {params.memories} memories"
    params:
        settings=optimal_settings(),
        memories=len(optimal_settings()),
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV_FILE
    script:
        "../scripts/optimal/optimal_radii.py"


rule critical_distance_curves:
    input:
        table=intersection_file(REF.n),
        lib=library("theory/optimal", "theory/binomial", "sections/optimal"),
    output:
        reported("data/optimal/critical_distance.nc", "optimal", "critical_distance_table", "Tables"),
    log:
        "data/logs/critical_distance_curves.log",
    message:
        "Critical distance against r and d for n={REF.n}, m={REF.m}"
    params:
        m=REF.m,
        radii=list(OPT.cd_vs_r.radii),
        log10_r_min=OPT.cd_vs_r.log10_r_min,
        log2_r_max=OPT.cd_vs_r.log2_r_max,
        points=OPT.cd_vs_r.points,
        reference_log2_r=REF.log2_r,
    conda:
        ENV_FILE
    script:
        "../scripts/optimal/critical_distance_curves.py"


rule context_sweep:
    priority: 1  # the longest chain (see intersection_table)
    input:
        tables=context_table_inputs,
        lib=library("theory/optimal", "theory/beta", "theory/binomial", "sections/optimal"),
    output:
        reported("data/optimal/context.nc", "optimal", "context_table", "Tables"),
    log:
        "data/logs/context_sweep.log",
    message:
        "β* against context length m for n in {OPT.context.n} (r = 2^n)"
    params:
        log2_m_min=OPT.context.log2_m_min,
        log2_m_max=OPT.context.log2_m_max,
        points=OPT.context.points,
    conda:
        ENV_FILE
    script:
        "../scripts/optimal/context_sweep.py"


rule figure_critical_distance:
    input:
        curves="data/optimal/critical_distance.nc",
        style=FIG.style,
        lib=library("sections/optimal", "sections/plotting"),
    output:
        reported(FIGURES["critical_distance"], "optimal", "critical_distance"),
    log:
        "data/logs/figure_critical_distance.log",
    message:
        "Figure: critical distance against r and against d"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/optimal/figure_critical_distance.py"


rule figure_beta_vs_context:
    input:
        context="data/optimal/context.nc",
        style=FIG.style,
        lib=library("sections/optimal", "sections/plotting"),
    output:
        reported(FIGURES["beta_vs_context"], "optimal", "beta_vs_context"),
    log:
        "data/logs/figure_beta_vs_context.log",
    message:
        "Figure: β* against context length m"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/optimal/figure_beta_vs_context.py"

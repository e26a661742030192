rule optimal_radii:
    input:
        tables=optimal_table_inputs,
        lib=library("_optimal", "_beta", "_binomial", "tables"),
    output:
        "data/optimal/radii.nc",
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
        "../scripts/optimal_radii.py"


rule critical_distance_curves:
    input:
        table=intersection_file(REF.n),
        lib=library("_optimal", "_binomial", "tables"),
    output:
        "data/optimal/critical_distance.nc",
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
        "../scripts/critical_distance_curves.py"


rule context_sweep:
    input:
        tables=context_table_inputs,
        lib=library("_optimal", "_beta", "_binomial", "tables"),
    output:
        "data/optimal/context.nc",
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
        "../scripts/context_sweep.py"

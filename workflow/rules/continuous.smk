# Continuous SDM, the closed forms and explicit-neuron simulations (sections 4-5 of the spec).


rule weightings:
    input:
        lib=library("theory/caps", "theory/beta", "theory/intersection", "theory/binomial", "sections/continuous"),
    output:
        "data/continuous/weightings_n{n}.nc",
    log:
        "data/logs/weightings/n{n}.log",
    message:
        "Binary SDM, continuous SDM and softmax weights with their β for n={wildcards.n}, radii d(p) for p in {params.p}"
    params:
        p=list(CONT.grid.p),
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV_FILE
    script:
        "../scripts/continuous/weightings.py"


rule weighting_betas:
    input:
        tables=expand("data/continuous/weightings_n{n}.nc", n=CONT.grid.n),
        lib=library("sections/continuous"),
    output:
        reported("data/continuous/weighting_betas.nc", "continuous", "weighting_betas", "Tables"),
    log:
        "data/logs/weighting_betas.log",
    message:
        "One table of binary and continuous β for every (n, d) of the comparison grid"
    conda:
        ENV_FILE
    script:
        "../scripts/continuous/weighting_betas.py"


rule monte_carlo:
    input:
        lib=library("theory/montecarlo", "theory/noise", "theory/stats", "theory/caps", "theory/intersection", "sections/continuous"),
    output:
        reported("data/continuous/monte_carlo_{run}.nc", "continuous", "monte_carlo_run", "Tables"),
    log:
        "data/logs/monte_carlo/{run}.log",
    message:
        "Explicit random neurons against the exact intersections: run {wildcards.run} ({params.run})"
    params:
        run=lambda wildcards: dict(CONT.monte_carlo.runs[wildcards.run]),
        seed=CONT.monte_carlo.seed,
        level=CONT.monte_carlo.level,
        alpha=CONT.monte_carlo.alpha,
    threads: 2
    resources:
        mem_mb=3000,
        runtime=30,
    conda:
        ENV_FILE
    script:
        "../scripts/continuous/monte_carlo.py"


rule kanerva_table:
    input:
        lib=library("theory/caps", "theory/intersection", "sections/continuous"),
    output:
        reported("data/continuous/kanerva.nc", "continuous", "kanerva", "Tables"),
    log:
        "data/logs/kanerva_table.log",
    message:
        "Kanerva's book table (n={params.n}, d={params.d}, r={params.r:g}) beside the exact values"
    params:
        n=CONT.kanerva.n,
        d=CONT.kanerva.d,
        r=CONT.kanerva.r,
        dv=list(CONT.kanerva.dv),
        book=list(CONT.kanerva.book),
    conda:
        ENV_FILE
    script:
        "../scripts/continuous/kanerva_table.py"


rule approximation:
    input:
        lib=library("theory/closed_forms", "theory/intersection", "theory/beta", "sections/continuous"),
    output:
        reported("data/continuous/approximation.nc", "continuous", "approximation_table", "Tables"),
    log:
        "data/logs/approximation.log",
    message:
        "Dominant term, bounds and exponential law against the exact intersection (n={params.n}, d in {params.radii})"
    params:
        n=CONT.approximation.n,
        radii=list(CONT.approximation.radii),
    conda:
        ENV_FILE
    script:
        "../scripts/continuous/approximation.py"


rule figure_weightings:
    input:
        tables=expand("data/continuous/weightings_n{n}.nc", n=CONT.grid.n),
        style=FIG.style,
        lib=library("sections/continuous", "sections/plotting", "theory/weights"),
    output:
        reported(FIGURES["weightings"], "continuous", "weightings"),
    log:
        "data/logs/figure_weightings.log",
    message:
        "Figure: binary SDM, continuous SDM and softmax weights for n in {CONT.grid.n}"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/continuous/figure_weightings.py"


rule figure_monte_carlo:
    input:
        runs=MONTE_CARLO_RUNS,
        style=FIG.style,
        lib=library("sections/continuous", "sections/plotting"),
    output:
        reported(FIGURES["monte_carlo"], "continuous", "monte_carlo"),
    log:
        "data/logs/figure_monte_carlo.log",
    message:
        "Figure: simulated neuron counts against the exact expectations"
    params:
        names=list(CONT.monte_carlo.runs),
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/continuous/figure_monte_carlo.py"


rule figure_approximation:
    input:
        table="data/continuous/approximation.nc",
        style=FIG.style,
        lib=library("sections/continuous", "sections/plotting"),
    output:
        reported(FIGURES["approximation"], "continuous", "approximation"),
    log:
        "data/logs/figure_approximation.log",
    message:
        "Figure: the exact intersection, its dominant term, bounds and exponential law"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/continuous/figure_approximation.py"


rule continuous_report_values:
    input:
        betas="data/continuous/weighting_betas.nc",
        kanerva="data/continuous/kanerva.nc",
        runs=MONTE_CARLO_RUNS,
        approximation="data/continuous/approximation.nc",
        lib=library("sections/continuous", "sections/latex"),
    output:
        macros="paper/generated/continuous.tex",
        betas_table="paper/generated/tables/weighting_betas.tex",
        kanerva_table="paper/generated/tables/kanerva.tex",
        monte_carlo_table="paper/generated/tables/monte_carlo.tex",
    log:
        "data/logs/continuous_report_values.log",
    message:
        "Generate the continuous-SDM section's numbers and tables"
    params:
        names=list(CONT.monte_carlo.runs),
        ref_n=REF.n,
        ref_d=REF.decay_radius,
    conda:
        ENV_FILE
    script:
        "../scripts/continuous/continuous_report_values.py"

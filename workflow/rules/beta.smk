# β fitted to SDM's weights: per n, across the sweep, and the figures comparing SDM with softmax.


rule beta_fits:
    input:
        table="data/intersection/n{n}.nc",
        lib=library("theory/beta", "sections/beta"),
    output:
        "data/beta/n{n}.nc",
    log:
        "data/logs/beta_fits/n{n}.log",
    message:
        "β fits (published, OLS, softmax) for every radius of n={wildcards.n}"
    params:
        d_min=CFG.fit.d_min,
        d_max=CFG.fit.d_max,
    resources:  # one thread: a second or two of fitting after start-up, so two run side by side
        mem_mb=2000,
        runtime=10,
    conda:
        ENV_FILE
    script:
        "../scripts/beta/beta_fits.py"


rule beta_table:
    input:
        fits=expand("data/beta/n{n}.nc", n=SWEEP_N),
        lib=library("sections/beta"),
    output:
        reported("data/beta_fits.nc", "beta", "beta_fits", "Tables"),
    log:
        "data/logs/beta_table.log",
    message:
        "One (n, d) table of β fits across the sweep n={SWEEP_N}"
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        ENV_FILE
    script:
        "../scripts/beta/beta_table.py"


rule figure_weight_comparison:
    input:
        unpack(reference_inputs),
        style=FIG.style,
        lib=library("sections/beta", "sections/plotting", "theory/weights"),
    output:
        reported(FIGURES["weight_comparison"], "beta", "weight_comparison"),
    log:
        "data/logs/figure_weight_comparison.log",
    message:
        "Figure: binary SDM weights against softmax(β cos) for d in {REF.radii}"
    params:
        radii=list(REF.radii),
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/beta/figure_weight_comparison.py"


rule figure_beta_sweep:
    input:
        fits="data/beta_fits.nc",
        style=FIG.style,
        lib=library("sections/beta", "sections/plotting"),
    output:
        reported(FIGURES["beta_sweep"], "beta", "beta_sweep"),
    log:
        "data/logs/figure_beta_sweep.log",
    message:
        "Figure: β against d/n across the sweep"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/beta/figure_beta_sweep.py"

# Figure rules read tables and never recompute: restyling a figure reruns only that figure.


rule figure_intersection_decay:
    input:
        unpack(reference_inputs),
        style=FIG.style,
        lib=library("figures"),
    output:
        FIGURES["intersection_decay"],
    log:
        "data/logs/figure_intersection_decay.log",
    message:
        "Figure: the intersection decays exponentially (n={REF.n}, d={REF.decay_radius})"
    params:
        d=REF.decay_radius,
        log2_r=REF.log2_r,
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/figure_intersection_decay.py"


rule figure_weight_comparison:
    input:
        unpack(reference_inputs),
        style=FIG.style,
        lib=library("figures"),
    output:
        FIGURES["weight_comparison"],
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
        "../scripts/figure_weight_comparison.py"


rule figure_beta_sweep:
    input:
        fits="data/beta_fits.nc",
        style=FIG.style,
        lib=library("figures"),
    output:
        FIGURES["beta_sweep"],
    log:
        "data/logs/figure_beta_sweep.log",
    message:
        "Figure: β against d/n across the sweep"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/figure_beta_sweep.py"


rule figure_critical_distance:
    input:
        curves="data/optimal/critical_distance.nc",
        style=FIG.style,
        lib=library("figures"),
    output:
        FIGURES["critical_distance"],
    log:
        "data/logs/figure_critical_distance.log",
    message:
        "Figure: critical distance against r and against d"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/figure_critical_distance.py"


rule figure_beta_vs_context:
    input:
        context="data/optimal/context.nc",
        style=FIG.style,
        lib=library("figures"),
    output:
        FIGURES["beta_vs_context"],
    log:
        "data/logs/figure_beta_vs_context.log",
    message:
        "Figure: β* against context length m"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/figure_beta_vs_context.py"

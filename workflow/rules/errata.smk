# The errata section: each quirk of the published computations, computed the published way and the right way.


rule errata_table:
    input:
        lib=library("theory/published_forms", "theory/beta", "theory/caps", "theory/optimal", "sections/errata"),
    output:
        reported("data/errata.nc", "errata", "errata_table", "Tables"),
    log:
        "data/logs/errata_table.log",
    message:
        "Errata: every published quirk computed both ways (n={params.ref_n}, radii {params.radii}; float form at n={params.float_n})"
    params:
        ref_n=REF.n,
        radii=list(REF.radii),
        r=neurons(REF.n, REF.log2_r),
        ref_m=REF.m,
        float_n=CONT.kanerva.n,
        float_d=CONT.kanerva.d,
        cont_d=REF.decay_radius,
    resources:
        runtime=10,
    conda:
        ENV_FILE
    script:
        "../scripts/errata/errata_table.py"


rule figure_cancellation:
    input:
        table="data/errata.nc",
        style=FIG.style,
        lib=library("sections/errata", "sections/plotting"),
    output:
        reported(FIGURES["cancellation"], "errata", "cancellation"),
    log:
        "data/logs/figure_cancellation.log",
    message:
        "Figure: ball minus lune in float64 against the exact count"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/errata/figure_cancellation.py"


rule errata_values:
    input:
        table="data/errata.nc",
        published=published_betas,
        lib=library("sections/errata", "sections/latex", "learned/published"),
    output:
        macros="paper/generated/errata.tex",
    log:
        "data/logs/errata_values.log",
    message:
        "Generate the errata section's numbers"
    conda:
        ENV_FILE
    script:
        "../scripts/errata/errata_values.py"

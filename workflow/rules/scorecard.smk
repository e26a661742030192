# The reproduction scorecard: every published number beside the pipeline's, right after the abstract.


rule scorecard_values:
    input:
        fits=beta_file(REF.n),
        optimal="data/optimal/radii.nc",
        kanerva="data/continuous/kanerva.nc",
        critical="data/optimal/critical_distance.nc",
        lib=library("sections/scorecard", "sections/latex", "theory/caps"),
    output:
        macros="paper/generated/scorecard.tex",
        table="paper/generated/tables/scorecard.tex",
    log:
        "data/logs/scorecard_values.log",
    message:
        "Generate the reproduction scorecard: published values beside ours"
    params:
        cap_n=REF.n,
        cap_d=REF.decay_radius,
    conda:
        ENV_FILE
    script:
        "../scripts/scorecard/scorecard_values.py"

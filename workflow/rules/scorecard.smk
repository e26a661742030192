# The reproduction scorecard: every published number beside the pipeline's, right after the abstract.


rule scorecard_values:
    input:
        fits=beta_file(REF.n),
        optimal="data/optimal/radii.nc",
        kanerva="data/continuous/kanerva.nc",
        critical="data/optimal/critical_distance.nc",
        errata="data/errata.nc",
        lib=library("sections/scorecard", "sections/latex", "theory/caps"),
    output:
        macros="paper/generated/scorecard.tex",
        table="paper/generated/tables/scorecard.tex",
    log:
        "data/logs/scorecard_values.log",
    message:
        "Generate the reproduction scorecard: published values beside ours"
    conda:
        ENV_FILE
    script:
        "../scripts/scorecard/scorecard_values.py"

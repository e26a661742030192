# The explanatory figures: the SDM schematic (from a seeded, measured layout) and the cerebellum.


rule schematic_layout:
    input:
        lib=library("schematic"),
    output:
        "data/schematic.nc",
    log:
        "data/logs/schematic_layout.log",
    message:
        "Seeded 2-D toy memory for the SDM schematic (seed {params.seed})"
    params:
        seed=CFG.schematic.seed,
        neurons=CFG.schematic.neurons,
        radius=CFG.schematic.radius,
    conda:
        ENV_FILE
    script:
        "../scripts/schematic_layout.py"


rule figure_sdm_schematic:
    input:
        layout="data/schematic.nc",
        style=FIG.style,
        lib=library("schematic", "figures"),
    output:
        FIGURES["sdm_schematic"],
    log:
        "data/logs/figure_sdm_schematic.log",
    message:
        "Figure: the SDM schematic, neuron view and pattern view"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/figure_sdm_schematic.py"


rule figure_cerebellum:
    input:
        style=FIG.style,
        lib=library("schematic", "figures"),
    output:
        FIGURES["cerebellum"],
    log:
        "data/logs/figure_cerebellum.log",
    message:
        "Figure: the cerebellar circuit read as an SDM"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/figure_cerebellum.py"

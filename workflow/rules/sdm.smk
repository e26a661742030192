# The SDM section: the schematic, drawn from a seeded and measured toy memory.


rule schematic_layout:
    input:
        lib=library("sections/sdm"),
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
        "../scripts/sdm/schematic_layout.py"


rule figure_sdm_schematic:
    input:
        layout="data/schematic.nc",
        style=FIG.style,
        lib=library("sections/sdm", "sections/plotting"),
    output:
        reported(FIGURES["sdm_schematic"], "sdm", "sdm_schematic"),
    log:
        "data/logs/figure_sdm_schematic.log",
    message:
        "Figure: the SDM schematic, neuron view and pattern view"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/sdm/figure_sdm_schematic.py"

# The cerebellum section: the cerebellar circuit read as an SDM.


rule figure_cerebellum:
    input:
        style=FIG.style,
        lib=library("sections/cerebellum", "sections/plotting"),
    output:
        reported(FIGURES["cerebellum"], "cerebellum", "cerebellum"),
    log:
        "data/logs/figure_cerebellum.log",
    message:
        "Figure: the cerebellar circuit read as an SDM"
    params:
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/cerebellum/figure_cerebellum.py"

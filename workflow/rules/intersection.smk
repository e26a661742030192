# The exact intersection: one table per dimension n, and its exponential decay.


rule intersection_table:
    priority: 1  # on the longest chain (tables -> context sweep -> learned scale -> report): first, so that the leaf trainings fill the other core
    input:
        lib=library("theory/intersection", "theory/binomial", "theory/constants", "sections/intersection"),
    output:
        "data/intersection/n{n}.nc",
    log:
        "data/logs/intersection_table/n{n}.log",
    message:
        "Exact log intersection table I(d_v; d, n) for n={wildcards.n}"
    resources:  # one thread: a table takes a second or two, mostly start-up, so two run side by side
        mem_mb=table_mem_mb,
        runtime=10,
    conda:
        ENV_FILE
    script:
        "../scripts/intersection/intersection_table.py"


rule figure_intersection_decay:
    input:
        unpack(reference_inputs),
        style=FIG.style,
        lib=library("sections/intersection", "sections/plotting"),
    output:
        reported(FIGURES["intersection_decay"], "intersection", "intersection_decay"),
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
        "../scripts/intersection/figure_intersection_decay.py"

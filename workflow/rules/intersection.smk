rule intersection_table:
    input:
        lib=library("_intersection", "_binomial", "tables"),
    output:
        "data/intersection/n{n}.nc",
    log:
        "data/logs/intersection_table/n{n}.log",
    message:
        "Exact log intersection table I(d_v; d, n) for n={wildcards.n}"
    threads: 2
    resources:
        mem_mb=table_mem_mb,
        runtime=10,
    conda:
        ENV_FILE
    script:
        "../scripts/intersection_table.py"

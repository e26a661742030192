rule beta_fits:
    input:
        table="data/intersection/n{n}.nc",
        lib=library("_beta", "tables"),
    output:
        "data/beta/n{n}.nc",
    log:
        "data/logs/beta_fits/n{n}.log",
    message:
        "β fits (published, OLS, softmax) for every radius of n={wildcards.n}"
    params:
        d_min=CFG.fit.d_min,
        d_max=CFG.fit.d_max,
    threads: 2
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV_FILE
    script:
        "../scripts/beta_fits.py"


rule beta_table:
    input:
        fits=expand("data/beta/n{n}.nc", n=SWEEP_N),
        lib=library("tables"),
    output:
        "data/beta_fits.nc",
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
        "../scripts/beta_table.py"

"""Stage adapter: the continuous-SDM section's macros and tables."""
from sdmattn import report
from sdmattn.io import load_table, write_text
from sdmattn.stage import run_stage

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, o, p = snakemake.input, snakemake.output, snakemake.params  # noqa: F821
    betas, kanerva, approx = load_table(i.betas), load_table(i.kanerva), load_table(i.approximation)
    runs = {name: load_table(path) for name, path in zip(p.names, i.runs)}
    values = report.continuous_values(betas, kanerva, runs, approx, p.ref_n, p.ref_d)
    write_text(o.macros, report.macros_tex(values))
    write_text(o.betas_table, report.weighting_betas_table(betas))
    write_text(o.kanerva_table, report.kanerva_table(kanerva))
    write_text(o.monte_carlo_table, report.monte_carlo_table(runs))

"""Stage adapter: the continuous-SDM section's macros and tables."""
from sdmattn.pipeline.io import load_table, write_text
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.continuous import continuous_values, kanerva_table, monte_carlo_table, weighting_betas_table
from sdmattn.sections.latex import macros_tex

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, o, p = snakemake.input, snakemake.output, snakemake.params  # noqa: F821
    betas, kanerva, approx = load_table(i.betas), load_table(i.kanerva), load_table(i.approximation)
    runs = {name: load_table(path) for name, path in zip(p.names, i.runs)}
    values = continuous_values(betas, kanerva, runs, approx, p.ref_n, p.ref_d)
    write_text(o.macros, macros_tex(values))
    write_text(o.betas_table, weighting_betas_table(betas))
    write_text(o.kanerva_table, kanerva_table(kanerva))
    write_text(o.monte_carlo_table, monte_carlo_table(runs))

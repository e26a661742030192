"""Stage adapter: the report's generated macros and tables, from the β tables."""
from sdmattn.io import load_table, write_text
from sdmattn.report import macros_tex, reference_beta_table, reference_values
from sdmattn.stage import run_stage

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, o, p = snakemake.input, snakemake.output, snakemake.params  # noqa: F821
    ref, sweep = load_table(i.fits), load_table(i.sweep)
    values = reference_values(ref, sweep, list(p.radii), p.decay_radius, p.log2_r, p.text_width_in)
    write_text(o.macros, macros_tex(values))
    write_text(o.beta_table, reference_beta_table(ref, list(p.radii)))

"""Stage adapter: the report's generated macros and tables, from the β fits and the optimal radii."""
from sdmattn import report
from sdmattn.io import load_table, write_text
from sdmattn.published import read_published_betas
from sdmattn.stage import run_stage

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, o, p = snakemake.input, snakemake.output, snakemake.params  # noqa: F821
    ref, sweep, optimal = load_table(i.fits), load_table(i.sweep), load_table(i.optimal)
    values = report.reference_values(ref, sweep, list(p.radii), p.decay_radius, p.log2_r, p.text_width_in, (p.d_min, p.d_max))
    values |= report.optimal_values(optimal) | report.schematic_values(load_table(i.schematic))
    runs, learned_row = load_table(i.runs), optimal.sel(setting="learned_beta")
    published = read_published_betas(i.published[0]) if len(i.published) else None
    values |= report.learned_values(runs, learned_row, published)
    write_text(o.macros, report.macros_tex(values))
    write_text(o.beta_table, report.reference_beta_table(ref, list(p.radii), report.optimal_row(optimal, "reference")))
    write_text(o.optimal_table, report.optimal_reference_table(optimal))
    write_text(o.settings_table, report.optimal_settings_table(optimal))
    write_text(o.learned_table, report.learned_table(runs, learned_row))

"""Stage adapter: the report's generated macros and tables, from the β fits and the optimal radii."""
from sdmattn.learned.published import read_published_betas
from sdmattn.pipeline.io import load_table, write_text
from sdmattn.pipeline.stage import run_stage
from sdmattn.sections.beta import reference_beta_table, reference_values
from sdmattn.sections.latex import macros_tex
from sdmattn.sections.learned_beta import learned_table, learned_values
from sdmattn.sections.optimal import optimal_reference_table, optimal_row, optimal_settings_table, optimal_values
from sdmattn.sections.sdm import schematic_values

with run_stage(snakemake, jax=False):  # noqa: F821 (injected by Snakemake)
    i, o, p = snakemake.input, snakemake.output, snakemake.params  # noqa: F821
    ref, sweep, optimal = load_table(i.fits), load_table(i.sweep), load_table(i.optimal)
    values = reference_values(ref, sweep, list(p.radii), p.decay_radius, p.log2_r, p.text_width_in, (p.d_min, p.d_max))
    values |= optimal_values(optimal) | schematic_values(load_table(i.schematic))
    runs, learned_row = load_table(i.runs), optimal.sel(setting="learned_beta")
    published = read_published_betas(i.published[0]) if len(i.published) else None
    values |= learned_values(runs, learned_row, published, p.agree)
    write_text(o.macros, macros_tex(values))
    write_text(o.beta_table, reference_beta_table(ref, list(p.radii), optimal_row(optimal, "reference")))
    write_text(o.optimal_table, optimal_reference_table(optimal))
    write_text(o.settings_table, optimal_settings_table(optimal))
    write_text(o.learned_table, learned_table(runs, learned_row, p.agree))

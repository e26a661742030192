# sdmattn: a Hydra config becomes the paper's report.
#   exact intersection tables -> β fits, optimal radii -> figures -> generated LaTeX values -> report PDF
# Run: snakemake -c2 [--config 'overrides=["sweep=smoke"]'].  See README.md.
from snakemake.utils import min_version

min_version("9.0")


include: "workflow/rules/common.smk"
include: "workflow/rules/intersection.smk"
include: "workflow/rules/beta.smk"
include: "workflow/rules/optimal.smk"
include: "workflow/rules/explain.smk"
include: "workflow/rules/learned_beta.smk"
include: "workflow/rules/continuous.smk"
include: "workflow/rules/pretrained.smk"
include: "workflow/rules/memory.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        REPORT_PDF,
        "data/config.resolved.yaml",

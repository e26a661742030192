# sdmattn: a Hydra config becomes the paper's report.
# One rules file per report section, in the order of the paper (each with its adapters in
# workflow/scripts/<section>/, its library module sdmattn.sections.<section> and paper/sections/<section>.tex);
# common.smk composes the config, report.smk builds the PDF.
# Run: sdmattn build [KEY=VALUE ...], or snakemake -c2 [--config 'overrides=["sweep=smoke"]'].  See README.md.
from snakemake.utils import min_version

min_version("9.0")


include: "workflow/rules/common.smk"
include: "workflow/rules/scorecard.smk"
include: "workflow/rules/sdm.smk"
include: "workflow/rules/intersection.smk"
include: "workflow/rules/beta.smk"
include: "workflow/rules/continuous.smk"
include: "workflow/rules/optimal.smk"
include: "workflow/rules/memories.smk"
include: "workflow/rules/learned_beta.smk"
include: "workflow/rules/learned_scale.smk"
include: "workflow/rules/pretrained.smk"
include: "workflow/rules/cerebellum.smk"
include: "workflow/rules/errata.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        REPORT_PDF,
        "paper/build/arxiv.tar.gz",
        "data/config.resolved.yaml",


rule figures:
    # `sdmattn figures` (or `snakemake figures`): every figure of the report, and nothing downstream of them
    input:
        list(FIGURES.values()),

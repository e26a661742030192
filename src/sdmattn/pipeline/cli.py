"""The `sdmattn` command: Hydra overrides as plain arguments, Snakemake underneath.

    sdmattn build [KEY=VALUE ...] [--cores N] [--dry-run] [-- SNAKEMAKE ARGS]   the report (Snakemake's default target)
    sdmattn figures [KEY=VALUE ...] [--cores N] [--dry-run] [-- SNAKEMAKE ARGS] the figures, nothing downstream of them
    sdmattn config [KEY=VALUE ...]                  the resolved config as YAML, its budget and the stages a build would run
    sdmattn report [KEY=VALUE ...] [--html PATH]    Snakemake's HTML report of the last build

`figures` and `report` without overrides take those of the last successful build here (recorded by the
Snakefile in .snakemake/sdmattn/last_build.json); `build` and `config` take exactly the ones given.

The overrides are composed and validated here first (`config.compose`): a bad one exits with status 2
and one line naming the key, before Snakemake starts. Snakemake then gets them exactly as a user of
the plain form would write them, `--config 'overrides=[...]'`, so both forms make the same build.
Run it in the repository root (where the Snakefile is).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from .budget import estimate
from .config import ConfigError, compose, to_yaml

FIGURES_TARGET = "figures"  # the Snakefile's rule whose inputs are every figure of the report
LAST_BUILD = Path(".snakemake") / "sdmattn" / "last_build.json"  # the overrides of the last successful build
DEFAULT_HTML = "paper/build/report.html"
BAD_USAGE = 2


def config_arg(overrides: list[str]) -> list[str]:
    """Snakemake's `--config` for the overrides (nothing for none), the form the README documents."""
    return ["--config", "overrides=" + json.dumps(overrides, separators=(",", ":"))] if overrides else []


def record_last_build(overrides) -> None:
    """Note the overrides of a successful build (the Snakefile's `onsuccess`), for `sdmattn report`."""
    from .config import normalise_overrides

    LAST_BUILD.parent.mkdir(parents=True, exist_ok=True)
    LAST_BUILD.write_text(json.dumps({"overrides": normalise_overrides(overrides)}) + "\n")


def last_build_overrides() -> list[str] | None:
    """The overrides of the last successful build here, or None when none is recorded."""
    try:
        return list(json.loads(LAST_BUILD.read_text())["overrides"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def config_groups(config_dir: Path) -> dict[str, tuple[list[str], str | None]]:
    """{group: (options, default option or None)} from the files in `config_dir`."""
    defaults = {}
    for entry in yaml.safe_load((config_dir / "config.yaml").read_text()).get("defaults", []):
        if isinstance(entry, dict):
            defaults.update({str(k).removeprefix("override "): v for k, v in entry.items()})
    return {group.name: (sorted(p.stem for p in group.glob("*.yaml")), defaults.get(group.name))
            for group in sorted(config_dir.iterdir()) if group.is_dir()}


def groups_help(config_dir: Path) -> str:
    """The help's list of config groups and top-level keys, read from `config_dir` and the schema."""
    from .config import allowed_keys

    if not (config_dir / "config.yaml").is_file():
        return f"(no config.yaml in {config_dir}: run sdmattn in the repository root to list the config groups)"
    lines = ["config groups (GROUP=OPTION, files in config/GROUP/):"]
    for group, (options, default) in config_groups(config_dir).items():
        lines.append(f"  {group}=" + "|".join(options) + (f"   (default: {default})" if default else "   (default: none)"))
    lines.append("config keys (KEY=VALUE, dotted below them; `sdmattn config` prints every value):")
    lines.append("  " + ", ".join(allowed_keys("")))
    lines.append("overrides use Hydra's grammar, e.g. preset=smoke 'sweep.n=[64,128]' fit.d_max=20")
    return "\n".join(lines)


def _parser(config_dir: Path) -> argparse.ArgumentParser:
    epilog = groups_help(config_dir)
    fmt = argparse.RawDescriptionHelpFormatter
    top = argparse.ArgumentParser(prog="sdmattn", description=__doc__.split("\n\n")[0], epilog=epilog, formatter_class=fmt)
    sub = top.add_subparsers(dest="command", required=True, metavar="{build,figures,config,report}")

    def command(name: str, text: str, usage: str = "") -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text, description=text, epilog=epilog, formatter_class=fmt,
                           usage=f"sdmattn {name} [KEY=VALUE ...]{usage}")
        p.add_argument("overrides", nargs="*", metavar="KEY=VALUE", help="Hydra overrides, e.g. preset=smoke sweep.n=[64,128]")
        return p

    for name, text in (("build", "Build the report (Snakemake's default target), rerunning only what changed."),
                       ("figures", ("Draw the report's figures (and what they read), nothing downstream of them; without "
                                   "overrides, those of the last build here."))):
        p = command(name, text + " Arguments after -- go to Snakemake as they are.",
                    " [--cores N] [--dry-run] [-- SNAKEMAKE ARGS ...]")
        p.add_argument("--cores", "-c", default="all", help="cores Snakemake may use (default: all)")
        p.add_argument("--dry-run", "-n", action="store_true", help="show the jobs that would run; run none")
    command("config", "Print the resolved, validated config as YAML, with the budget estimate and the stages a "
                      "build would run here (as comments).")
    p = command("report", "Write Snakemake's HTML report of the last build (its overrides, unless given).",
                " [--html PATH]")
    p.add_argument("--html", default=DEFAULT_HTML, help=f"the report's path (default: {DEFAULT_HTML})")
    return top


def _refuse(message: str) -> int:
    print(f"sdmattn: refusing to run: {message}", file=sys.stderr)
    return BAD_USAGE


def snakemake_command(args: list[str]) -> list[str]:
    """Snakemake's command line, run by this interpreter (its environment's Snakemake)."""
    return [sys.executable, "-m", "snakemake", *args]


def job_stats(output: str) -> dict[str, int]:
    """{rule: jobs} from the "Job stats" table Snakemake prints before it runs (empty: nothing to be done)."""
    if "Job stats:" not in output:
        return {}
    table = output.split("Job stats:", 1)[1]
    return {m[1]: int(m[2]) for m in re.finditer(r"^(\w+)\s+(\d+)\s*$", table, re.MULTILINE) if m[1] != "total"}


def planned_stages(overrides: list[str], targets: list[str] | None = None) -> dict[str, int]:
    """{rule: jobs} that a build of `targets` (default: Snakemake's) would run here: Snakemake's dry run."""
    args = [*(targets or []), "--dry-run", "--cores", "1", "--quiet", "rules", "progress", *config_arg(overrides)]
    run = subprocess.run(snakemake_command(args), capture_output=True, text=True, check=False)
    if run.returncode:
        raise RuntimeError("Snakemake's dry run failed: " + ((run.stderr + run.stdout).strip().splitlines() or ["?"])[-1])
    return job_stats(run.stdout + run.stderr)


def show_config(cfg, overrides: list[str]) -> str:
    """`sdmattn config`'s output: the YAML, then the estimate and the planned stages as comments."""
    cost = estimate(cfg)
    stages = planned_stages(overrides)
    lines = [(f"# budget (estimate): {cost.jobs} jobs, {cost.table_gib:.3g} GiB of intersection tables, "
              f"{cost.cpu_hours:.2g} CPU-hours"),
             f"# stages a build would run here ({sum(stages.values())} jobs; Snakemake's dry run):"]
    lines += [f"#   {rule}: {count}" for rule, count in sorted(stages.items())] or ["#   none: nothing to be done"]
    return to_yaml(cfg) + "\n".join(lines) + "\n"


def snakemake_args(args, overrides: list[str], extra: list[str]) -> list[str]:
    """The Snakemake command line for `build` and `figures` (targets first, --config last: it takes every word after it)."""
    targets = [FIGURES_TARGET] if args.command == "figures" else []
    return [*targets, "--cores", str(args.cores), *(["--dry-run"] if args.dry_run else []), *extra, *config_arg(overrides)]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    args = _parser(Path("config")).parse_args(argv)
    if not Path("Snakefile").is_file():
        return _refuse(f"no Snakefile in {Path.cwd()}: run sdmattn in the repository root")
    if any(word == "--config" or word.startswith("--config=") or word == "-C" for word in extra):
        return _refuse("give the overrides as KEY=VALUE arguments before --, not as Snakemake's --config")
    overrides = list(args.overrides)
    if args.command in ("figures", "report") and not overrides and last_build_overrides():
        overrides = last_build_overrides()  # the figures and the report of the build that is here
        print(f"sdmattn: the last build's overrides: {' '.join(overrides)}", file=sys.stderr)
    try:
        cfg = compose(overrides, config_dir=Path("config"))
    except ConfigError as err:
        return _refuse(str(err))
    if args.command == "config":
        try:
            sys.stdout.write(show_config(cfg, overrides))
        except RuntimeError as err:
            print(f"sdmattn: {err}", file=sys.stderr)
            return 1
        return 0
    if args.command == "report":
        Path(args.html).parent.mkdir(parents=True, exist_ok=True)
        command = snakemake_command(["--report", args.html, *config_arg(overrides)])
    else:
        command = snakemake_command(snakemake_args(args, overrides, extra))
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)  # Snakemake in this process's place: its output, signals and exit status


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())

"""The package's shape: the library's rooms keep to their concern, every section follows one pattern,
and the README's library block runs as written (its quoted numbers checked)."""
import ast
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "sdmattn"
LIBRARY = ("theory", "memory", "learned", "pretrained")  # know nothing of the config, Snakemake or Hydra
FORBIDDEN = ("sdmattn.pipeline", "sdmattn.sections", "snakemake", "hydra", "omegaconf")
SHARED = ("plotting", "latex")  # helpers of every section, not sections


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports (relative imports resolved against its package), at any depth."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}  # `from . import io`
    return found


def test_imported_modules_resolves_relative_imports(tmp_path):
    """The checker itself: it sees a forbidden import however it is spelled (else the test below could not fail)."""
    room = PACKAGE / "theory" / "binomial.py"
    assert "sdmattn.theory.intersection" not in imported_modules(room) and "sdmattn._checks" in imported_modules(room)
    fake = PACKAGE / "theory" / "_probe_for_test.py"
    try:
        fake.write_text("from ..pipeline import io\nfrom ..pipeline.config import compose\nimport hydra\n")
        seen = imported_modules(fake)
    finally:
        fake.unlink()
    assert {"sdmattn.pipeline.io", "sdmattn.pipeline.config", "hydra"} <= seen


@pytest.mark.parametrize("room", LIBRARY)
def test_library_rooms_import_no_pipeline_snakemake_or_hydra(room):
    files = sorted((PACKAGE / room).rglob("*.py"))
    assert files
    bad = {str(f.relative_to(PACKAGE)): sorted(m for m in imported_modules(f) if m.startswith(FORBIDDEN)) for f in files}
    assert not {k: v for k, v in bad.items() if v}


def test_only_the_pipeline_imports_hydra_and_nothing_imports_snakemake():
    for path in sorted(PACKAGE.rglob("*.py")):
        modules = imported_modules(path)
        assert not [m for m in modules if m.startswith("snakemake")], path
        if path.parent.name != "pipeline":
            assert not [m for m in modules if m.startswith(("hydra", "omegaconf"))], path


def sections() -> list[str]:
    return sorted(p.stem for p in (PACKAGE / "sections").glob("*.py") if p.stem not in SHARED and not p.stem.startswith("_"))


def test_every_section_has_its_rules_adapters_module_and_tex():
    """A section is four things (rules file, adapters, sections module, LaTeX) and two lines (Snakefile, report.tex)."""
    snakefile = (ROOT / "Snakefile").read_text()
    report = (ROOT / "paper" / "report.tex").read_text()
    assert len(sections()) >= 9, sections()
    for name in sections():
        rules = ROOT / "workflow" / "rules" / f"{name}.smk"
        assert f'include: "workflow/rules/{name}.smk"' in snakefile, name
        scripts = sorted(set(re.findall(r'script:\n\s+"\.\./scripts/([\w/]+)\.py"', rules.read_text())))
        assert scripts and all(s.startswith(f"{name}/") for s in scripts), (name, scripts)
        assert sorted(f"{name}/{p.stem}" for p in (ROOT / "workflow" / "scripts" / name).glob("*.py")) == scripts
        assert any(f"sdmattn.sections.{name} import" in (ROOT / "workflow" / "scripts" / f"{s}.py").read_text()
                   for s in scripts), name  # the adapters call their section's module
        assert (ROOT / "paper" / "sections" / f"{name}.tex").is_file(), name
        # the pre-trained section is input through its generated switch \sdm{pt/section} (only when its stage ran)
        assert f"\\input{{sections/{name}}}" in report or name == "pretrained", name
    included = re.findall(r'include: "workflow/rules/(\w+)\.smk"', snakefile)
    assert set(included) == set(sections()) | {"common", "report"}


def readme_library_block() -> str:
    readme = (ROOT / "README.md").read_text()
    return re.search(r"## The library\n.*?```python\n(.*?)```", readme, re.S).group(1)


NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\b")


def test_readme_library_block_runs_and_its_quoted_numbers_hold():
    """The README's library block, executed as written; a statement whose comment starts with a number
    must evaluate to that number at the quoted precision."""
    block = readme_library_block()
    checked, namespace = 0, {}
    for statement in ast.parse(block).body:
        source = ast.get_source_segment(block, statement)
        line = block.splitlines()[statement.end_lineno - 1]
        comment = line.split("#", 1)[1] if "#" in line else ""
        match = NUMBER.match(comment)
        if isinstance(statement, ast.Expr) and match:
            value = eval(compile(ast.Expression(statement.value), "README", "eval"), namespace)  # noqa: S307
            quoted = match.group(1)
            decimals = len(quoted.split(".")[1]) if "." in quoted else 0
            assert np.round(float(np.asarray(value)), decimals) == float(quoted), (source, value, quoted)
            checked += 1
        else:
            exec(compile(ast.Module([statement], []), "README", "exec"), namespace)  # noqa: S102
    assert checked >= 4


@pytest.mark.parametrize("room", ["sdmattn", *(f"sdmattn.{r}" for r in LIBRARY)])
def test_re_exported_names_are_the_objects_not_their_modules(room):
    """Names re-exported on first use stay the functions and classes once every module is imported (a
    submodule named like one of them, `memory.recall`, would otherwise shadow it)."""
    import importlib
    import pkgutil
    import types

    package = importlib.import_module(room)
    if room != "sdmattn":  # the top level re-exports the rooms below, checked in their own cases
        for info in pkgutil.walk_packages(package.__path__, f"{room}."):
            importlib.import_module(info.name)
    names = package.__all__
    assert names and not [n for n in names if isinstance(getattr(package, n), types.ModuleType)]


def test_stages_that_skip_jax_do_not_load_it():
    """The adapters that run without JAX (`run_stage(..., jax=False)`: figures, tables, report values)
    import no JAX either: it costs each job about a second, and a style change redraws every figure.
    Their imports run together in one fresh Python (any one of them loading JAX fails it)."""
    import subprocess
    import sys

    scripts = [p for p in sorted((ROOT / "workflow" / "scripts").rglob("*.py")) if "jax=False" in p.read_text()]
    lines = {ast.unparse(node) for p in scripts for node in ast.parse(p.read_text()).body if isinstance(node, (ast.Import, ast.ImportFrom))}
    assert len(scripts) >= 20 and any("sdmattn.sections" in line for line in lines)
    probe = "\n".join(sorted(lines)) + "\nimport sys\nprint(sorted(m for m in sys.modules if m == 'jax' or m.startswith('jax.')))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout[:500]

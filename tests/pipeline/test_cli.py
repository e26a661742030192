"""The `sdmattn` command in this process: its refusals, its help, and the Snakemake command it hands over."""
import shlex
from pathlib import Path

import pytest
import yaml
from snakemake.cli import parse_config

from sdmattn.pipeline.cli import config_arg, main
from sdmattn.pipeline.config import ConfigError, check_snakemake_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("argv, key, allowed", [
    (["config", "sweep.n=[0]"], "sweep.n", "integers in 5.."),
    (["build", "sweep.nn=[64]"], "sweep.nn", "allowed keys under 'sweep': n"),
    (["figures", "preset=huge"], "preset", "config groups"),
    (["report", "fit.d_min=x"], "fit.d_min", "fit.d_min=x"),
])
def test_bad_override_exits_2_with_one_line_before_snakemake(in_root, capsys, argv, key, allowed):
    assert main(argv) == 2  # returning at all: Snakemake (exec'd in the process's place) never started
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("sdmattn: refusing to run: ") and key in err and allowed in err, err


def test_snakemake_config_is_refused_after_the_double_dash(in_root, capsys):
    assert main(["build", "--", "--config", "overrides=[]"]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err


def test_help_lists_every_config_group_and_option_from_config(in_root, capsys):
    with pytest.raises(SystemExit) as done:
        main(["build", "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    groups = sorted(p for p in (ROOT / "config").iterdir() if p.is_dir())
    assert len(groups) >= 5
    for group in groups:
        options = sorted(p.stem for p in group.glob("*.yaml"))
        assert f"{group.name}=" + "|".join(options) in text, (group.name, text)
    assert "sweep, fit, reference" in text and "-- SNAKEMAKE ARGS" in text


def test_overrides_reach_snakemake_as_the_documented_config():
    overrides = ["preset=smoke", "sweep.n=[64,128]", "learned_beta.published_file=a b.txt"]
    flag, value = config_arg(overrides)
    assert flag == "--config" and value == 'overrides=["preset=smoke","sweep.n=[64,128]","learned_beta.published_file=a b.txt"]'
    assert parse_config([value]) == {"overrides": overrides}  # what Snakemake's own --config parser makes of it
    assert config_arg([]) == []


@pytest.mark.parametrize("config, right", [
    ({"preset": "smoke"}, ("sdmattn build preset=smoke", """--config 'overrides=["preset=smoke"]'""")),
    ({"overrides": ["sweep=smoke"], "fit": 3}, ("sdmattn build sweep=smoke fit=3", """'overrides=["sweep=smoke","fit=3"]'""")),
])
def test_snakemake_config_keys_other_than_overrides_are_refused_with_the_right_forms(config, right):
    with pytest.raises(ConfigError) as err:
        check_snakemake_config(config)
    message = str(err.value)
    assert "\n" not in message and all(form in message for form in right), message
    suggested = message.rsplit("--config ", 1)[1]  # the last form: the plain-Snakemake one
    assert parse_config([shlex.split(suggested)[0]])["overrides"] == yaml.safe_load(shlex.split(suggested)[0].split("=", 1)[1])
    check_snakemake_config({"overrides": ["preset=smoke"]})
    check_snakemake_config({})

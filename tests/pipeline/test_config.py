import pytest
from bad_inputs import BAD

from sdmattn.pipeline.config import ConfigError, allowed_keys, compose, to_yaml

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
CONFIG_DIR = ROOT / "config"


def test_default_and_smoke_compose():
    cfg = compose(None, CONFIG_DIR)
    assert list(cfg.sweep.n) == [16, 32, 64, 100, 128, 256, 512, 784, 1000, 1024, 2048, 4096]
    assert cfg.fit.d_min == 2 and cfg.fit.d_max is None
    smoke = compose(["sweep=smoke"], CONFIG_DIR)
    assert max(smoke.sweep.n) <= 128
    assert "sweep:" in to_yaml(smoke)


def test_overrides_apply():
    cfg = compose(["sweep=smoke", "sweep.n=[64,128]", "fit.d_max=20"], CONFIG_DIR)
    assert list(cfg.sweep.n) == [64, 128] and cfg.fit.d_max == 20


def test_overrides_given_as_one_string():
    assert list(compose("sweep=smoke", CONFIG_DIR).sweep.n) == [16, 32, 64, 128]




@pytest.mark.parametrize("overrides, key, allowed", BAD, ids=[" ".join(b[0])[:60] for b in BAD])
def test_bad_overrides_name_the_key(overrides, key, allowed):
    with pytest.raises(ConfigError) as err:
        compose(overrides, CONFIG_DIR)
    message = str(err.value)
    assert key in message and allowed in message, message
    assert "\n" not in message  # one message, one line


def test_absurd_sizes_state_the_estimate_and_build_when_forced():
    big = "sweep.n=[16000,16001,16002,16003,16004]"
    with pytest.raises(ConfigError, match=r"would need 9\.5 GiB of intersection tables .*CPU-hours.*'budget\.force=true'"):
        compose([big], CONFIG_DIR)
    assert compose([big, "budget.force=true"], CONFIG_DIR).budget.force


def test_overrides_must_be_strings():
    with pytest.raises(ConfigError, match="'overrides' must be a list"):
        compose([1, 2], CONFIG_DIR)


def test_malformed_published_file_names_path_and_line(tmp_path):
    bad = tmp_path / "scales.txt"
    bad.write_text("[('a.mha_scale.scale', tensor(1.5)),\n garbage\n")
    with pytest.raises(ConfigError, match=rf"learned_beta.published_file.*{bad}:2:"):
        compose([f"learned_beta.published_file={bad}"], CONFIG_DIR)


def test_presets():
    smoke = compose(["preset=smoke"], CONFIG_DIR)
    assert max(smoke.sweep.n) <= 128 and smoke.learned_beta.steps <= 100
    assert compose(["learned_beta=large"], CONFIG_DIR).learned_beta.gpu == 1


def test_missing_config_dir(tmp_path):
    with pytest.raises(ConfigError, match=str(tmp_path)):
        compose(None, tmp_path)


def test_allowed_keys():
    assert allowed_keys("") == ["sweep", "fit", "reference", "optimal", "learned_beta", "continuous", "schematic", "memory",
                                "learned_scale", "figures", "pretrained", "report", "budget"]
    assert allowed_keys("fit") == ["d_min", "d_max"]
    assert allowed_keys("fit.d_min") == []


@pytest.mark.parametrize("url", ["https://github.com/o/sdmattn/", "ftp://example.org/o/sdmattn", "https://github.com/o/sd mattn",
                                 "https://github.com/o/sdm%20attn", "github.com/o/sdmattn", "'https://github.com/o/{x}'"])
def test_bad_repository_url_names_the_key_and_value(url):
    with pytest.raises(ConfigError, match=r"config key 'report.repository_url' must be null or an http\(s\) URL") as err:
        compose([f"report.repository_url='{url}'" if not url.startswith("'") else f"report.repository_url={url}"], CONFIG_DIR)
    assert url.strip("'") in str(err.value)


def test_repository_url_default_unset_and_set():
    assert compose(None, CONFIG_DIR).report.repository_url is None
    assert compose(["report.repository_url=https://github.com/o/sdmattn"], CONFIG_DIR).report.repository_url == "https://github.com/o/sdmattn"

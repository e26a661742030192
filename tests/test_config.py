import pytest

from sdmattn.config import ConfigError, allowed_keys, compose, to_yaml

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]
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


# Each bad input: the overrides, the key the message must name, and a piece of the "allowed" part.
BAD = [
    (["sweep.foo=1"], "sweep.foo", "allowed keys under 'sweep': n"),
    (["bogus=3"], "bogus", "allowed keys under '<top level>'"),
    (["+extra=1"], "extra", "not in the schema"),
    (["+sweep.m=3"], "sweep.m", "not in the schema"),
    (["sweep.n=abc"], "sweep.n", "ListConfig"),
    (["sweep.n=[64,x]"], "sweep.n", "Integer"),
    (["fit.d_min=1.5"], "fit.d_min", "Integer"),
    (["sweep.n=[1]"], "sweep.n", "5..16384"),
    (["sweep.n=[4]"], "sweep.n", "a radius 2 <= d < n/2"),
    (["sweep.n=[]"], "sweep.n", "non-empty"),
    (["sweep.n=[64,64]"], "sweep.n", "without repeats"),
    (["sweep.n=[100000]"], "sweep.n", "5..16384"),
    (["fit.d_min=1"], "fit.d_min", ">= 2"),
    (["fit.d_min=-3"], "fit.d_min", ">= 2"),
    (["sweep=smoke", "fit.d_max=64"], "fit.d_max", "n/2"),
    (["sweep=smoke", "fit.d_min=10"], "fit.d_min", "n=16 allows d <= 7"),
    (["reference.radii=[5,40]"], "reference.radii", "2..31"),
    (["reference.radii=[]"], "reference.radii", "non-empty"),
    (["reference.decay_radius=0"], "reference.decay_radius", "2..31"),
    (["reference.n=2"], "reference.n", "3..16384"),
    (["reference.log2_r=-1"], "reference.log2_r", "0..reference.n"),
    (["reference.log2_r=inf"], "reference.log2_r", "0..reference.n"),
    (["reference.log2_r=nan"], "reference.log2_r", "0..reference.n"),
    (["figures.text_width_in=0"], "figures.text_width_in", "1..20"),
    (["figures.style=plot.png"], "figures.style", ".mplstyle"),
    (["figures.style=nope.mplstyle"], "figures.style", "an existing .mplstyle file"),
    (["sweep=nope"], "sweep/nope", "config groups: fit, learned_beta, memory, preset, sweep"),
    (["reference=3"], "reference", "ReferenceConfig"),
    (["reference.m=0"], "reference.m", ">= 1"),
    (["optimal.named.kanerva.m=0"], "optimal.named.kanerva.m", ">= 1"),
    (["optimal.named.kanerva.r=0.5"], "optimal.named.kanerva.r", "finite number >= 1"),
    (["optimal.named.kanerva.n=1"], "optimal.named.kanerva.n", "2..16384"),
    (["optimal.modern.m=[]"], "optimal.modern.m", "non-empty"),
    (["optimal.modern.r=[null,0]"], "optimal.modern.r", "finite number >= 1"),
    (["optimal.modern.r=[null,abc]"], "optimal.modern.r", "Float"),
    (["optimal.cd_vs_r.radii=[5,65]"], "optimal.cd_vs_r.radii", "0..64"),
    (["optimal.cd_vs_r.points=1"], "optimal.cd_vs_r.points", "2..1000"),
    (["optimal.context.log2_m_max=2"], "optimal.context", "log2_m_min < log2_m_max"),
    (["optimal.context.n=[]"], "optimal.context.n", "non-empty"),
    (["schematic.radius=0.7"], "schematic.radius", "[0.1, 0.5)"),
    (["learned_beta.tasks=[sorting]"], "learned_beta.tasks", "recall"),
    (["learned_beta.tasks=[]"], "learned_beta.tasks", "non-empty"),
    (["learned_beta.g_init=[0]"], "learned_beta.g_init", "(0, 1e4)"),
    (["learned_beta.steps=55"], "learned_beta.steps", "multiple of learned_beta.log_every"),
    (["learned_beta.steps=1000000"], "learned_beta.steps", "at most 10^6 steps"),
    (["learned_beta.lr=2"], "learned_beta.lr", "(0, 1)"),
    (["learned_beta.vocab=4"], "learned_beta.vocab", "8..4096"),
    (["continuous.grid.n=[4]"], "continuous.grid.n", "5..10000"),
    (["continuous.grid.p=[0.7]"], "continuous.grid.p", "(0, 0.5)"),
    (["continuous.monte_carlo.runs.n64.r=0"], "continuous.monte_carlo.runs.n64.r", "1..2^40"),
    (["continuous.monte_carlo.runs.n64.r=1.5"], "continuous.monte_carlo.runs.n64.r", "whole number"),
    (["continuous.monte_carlo.runs.n64.radii=[40]"], "continuous.monte_carlo.runs.n64.radii", "1..32"),
    (["continuous.monte_carlo.runs.kanerva.r=1e12"], "continuous.monte_carlo.runs", "simulated neuron bits, r n per radius (limit 1e+13), about"),
    (["continuous.monte_carlo.level=1"], "continuous.monte_carlo.level", "[0.5, 1)"),
    (["continuous.kanerva.book=[1,2]"], "continuous.kanerva.book", "one value per distance"),
    (["continuous.kanerva.d=1001"], "continuous.kanerva.d", "0..1000"),
    (["continuous.approximation.radii=[1]"], "continuous.approximation.radii", "2..63"),
    (["learned_beta.gpu=3"], "learned_beta.gpu", "0 or 1"),
    (["learned_beta.published_file=nope.txt"], "learned_beta.published_file", "nope.txt: cannot read"),
    (["preset=huge"], "preset/huge", "config groups"),
    (["schematic.radius=0.05"], "schematic.radius", "[0.1, 0.5)"),
    (["optimal.named.kanerva.n=16"], "optimal.named.kanerva.r", "at most 2^n = 2^16"),
    (["reference.log2_r=65"], "reference.log2_r", "0..reference.n"),
    (["optimal.cd_vs_r.log2_r_max=70"], "optimal.cd_vs_r", "2^reference.n"),
    (["schematic.neurons=0"], "schematic.neurons", "1..10000"),
    # NaN and infinity wherever a real number is read
    (["schematic.radius=nan"], "schematic.radius", "[0.1, 0.5)"),
    (["figures.text_width_in=nan"], "figures.text_width_in", "1..20"),
    (["learned_beta.lr=nan"], "learned_beta.lr", "(0, 1)"),
    (["learned_beta.g_init=[5,nan]"], "learned_beta.g_init", "(0, 1e4)"),
    (["optimal.named.kanerva.r=nan"], "optimal.named.kanerva.r", "finite number >= 1"),
    (["optimal.named.kanerva.r=inf"], "optimal.named.kanerva.r", "finite number >= 1"),
    (["optimal.cd_vs_r.log10_r_min=nan"], "optimal.cd_vs_r", "10^log10_r_min"),
    (["optimal.context.log2_m_min=nan"], "optimal.context", "log2_m_min < log2_m_max"),
    # wrong types
    (["learned_beta.per_head=maybe"], "learned_beta.per_head", "not a valid bool"),
    (["schematic.seed=abc"], "schematic.seed", "Integer"),
    (["learned_beta.tasks=recall"], "learned_beta.tasks", "ListConfig"),
    (["budget.force=perhaps"], "budget.force", "not a valid bool"),
    (["learned_beta.head_dim=0"], "learned_beta.head_dim", "1..4096"),
    (["optimal.context.points=1000"], "optimal.context.points", "2..200"),
    # absurd sizes: refused with the estimate and the override that forces them
    ([f"sweep.n=[{','.join(map(str, range(5, 2005)))}]"], "sweep.n", "Snakemake jobs (limit 1000)"),
    (["sweep.n=[16000,16001,16002,16003,16004]"], "sweep.n", "GiB of intersection tables"),
    ([f"learned_beta.seeds=[{','.join(map(str, range(400)))}]"], "learned_beta.seeds", "budget.force=true"),
    (["optimal.modern.m=[" + ",".join(str(2**k) for k in range(10, 60)) + "]", "optimal.modern.n=[" + ",".join(map(str, range(64, 104))) + "]"],
     "optimal.modern", "optimal-radius rows"),
]


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
                                "figures", "pretrained", "budget"]
    assert allowed_keys("fit") == ["d_min", "d_max"]
    assert allowed_keys("fit.d_min") == []

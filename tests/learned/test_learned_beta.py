from pathlib import Path

import jax
import numpy as np
import pytest
import xarray as xr

from sdmattn.learned import tasks
from sdmattn.learned.published import read_published_betas
from sdmattn.learned.settle import agree, is_settled, log_g_drift
from sdmattn.learned.training import TrainConfig, run_dataset, train
from sdmattn.sections.learned_beta import combine_runs, g0_agreement, head_values

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "qknorm_learned_betas.txt"


@pytest.fixture(autouse=True)
def _float32():
    """Training runs in float32, as the stage does."""
    jax.config.update("jax_enable_x64", False)
    yield
    jax.config.update("jax_enable_x64", True)


@pytest.mark.skipif(not REFERENCE.is_file(), reason="../shared/reference is absent")
def test_reads_the_reference_file():
    blocks = read_published_betas(REFERENCE)
    values = [v for vs in blocks.values() for v in vs]
    assert len(blocks) == 5 and len(values) == 90
    assert min(values) == 10.3109 and max(values) == 24.8478


@pytest.mark.parametrize(
    "text, line",
    [
        ("[('encoder.atts.0.mha_scale.scale', tensor(13.2098, device='cuda:0')),\n oops\n", 2),
        ("# comment\n[('a.mha_scale.scale', tensor(-1.0)),\n", 2),
        ("[('a.mha_scale.scale', tensor(abc)),\n", 1),
        ("ar-en\n[('a.mha_scale.scale', tensor(1.0))]\nar-en\n", 3),
    ],
)
def test_malformed_files_name_the_line(tmp_path, text, line):
    path = tmp_path / "scales.txt"
    path.write_text(text)
    with pytest.raises(ValueError, match=rf"{path}:{line}:"):
        read_published_betas(path)


def test_missing_or_empty_file(tmp_path):
    with pytest.raises(ValueError, match="cannot read"):
        read_published_betas(tmp_path / "none.txt")
    (tmp_path / "empty.txt").write_text("# nothing\n")
    with pytest.raises(ValueError, match="no learned scales"):
        read_published_betas(tmp_path / "empty.txt")


def test_recall_batches_ask_for_the_stored_value():
    b = tasks.make_batch("recall", jax.random.PRNGKey(0), 64, 32, pairs=4, key_len=3, queries=4, corrupt=0.0)
    tokens, targets, mask = (np.asarray(x) for x in b)
    assert tokens.shape == (64, tasks.sequence_length("recall", 32, pairs=4, key_len=3, queries=4))
    assert mask.sum(axis=1).tolist() == [4] * 64
    for row in range(64):
        pairs = tokens[row, :16].reshape(4, 4)
        # stored keys differ in every token
        assert all(len(set(pairs[:, j])) == 4 for j in range(3))
        stored = {tuple(p[:3]): p[3] for p in pairs}
        for pos in np.flatnonzero(mask[row]):
            query = tuple(tokens[row, pos - 2 : pos + 1])
            assert query in stored and targets[row, pos] == stored[query] and targets[row, pos] >= 16


@pytest.mark.parametrize("p", [0.05, 0.3])
def test_query_key_corruption_rate(p):
    """Each query-key token differs from its stored key with probability p (1 - 1/half): a random key
    token may redraw the original. Binomial bounds of 5 standard deviations."""
    half, key_len, batch, queries = 16, 2, 2000, 4
    b = tasks.make_batch("recall", jax.random.PRNGKey(3), batch, 2 * half, pairs=4, key_len=key_len, queries=queries, corrupt=p)
    tokens, targets, mask = (np.asarray(x) for x in b)
    changed = total = 0
    for row in range(batch):
        pairs = tokens[row, : 4 * 3].reshape(4, 3)
        by_value = {}
        for pos in np.flatnonzero(mask[row]):
            query = tokens[row, pos - key_len + 1 : pos + 1]
            # the asked pair is the one whose value is the target (values may repeat: take all candidates)
            cands = [k[:key_len] for k in pairs if k[key_len] == targets[row, pos]]
            if len(cands) != 1:
                continue
            by_value[pos] = cands[0]
            changed += int((query != cands[0]).sum())
            total += key_len
    rate = p * (1 - 1 / half)
    assert abs(changed / total - rate) < 5 * np.sqrt(rate * (1 - rate) / total)


def test_settle_criterion_on_known_trajectories():
    window, tol = 200, 0.02
    steps = np.arange(1000)[:, None]
    # a trend of slope s per step drifts by s * window / 2 (the halves' means are window / 2 apart)
    slow, fast = 0.5 * 2 * tol / window, 2.0 * 2 * tol / window
    np.testing.assert_allclose(log_g_drift(slow * steps, window), [slow * window / 2])
    assert is_settled(slow * steps, window, tol).tolist() == [True]
    assert is_settled(fast * steps, window, tol).tolist() == [False]
    # a plateau with step-to-step jitter above tol settles (the drift of white noise of sd s has sd
    # s * sqrt(4 / window) = 0.0042 here, tol is 4.7 of those); a random walk with a trend does not
    rng = np.random.default_rng(0)
    jitter = np.log(7.0) + 0.03 * rng.standard_normal((1000, 3))
    assert is_settled(jitter, window, tol).all()
    walk = np.cumsum(0.05 * np.sign(rng.standard_normal((1000, 2))) + 0.01, axis=0)
    assert not is_settled(walk, window, tol).any()
    # a trajectory that moved, then stopped, settles only once the window lies past the move
    moved = np.concatenate([np.linspace(np.log(40), np.log(6), 300), np.full(300, np.log(6))])[:, None]
    assert not is_settled(moved[:400], window, tol).any() and is_settled(moved, window, tol).all()
    # too few steps: not settled
    assert is_settled(np.zeros((window - 1, 2)), window, tol).tolist() == [False, False]
    with pytest.raises(ValueError, match="window"):
        log_g_drift(np.zeros((10, 1)), 1)


def test_agreement_is_relative_to_the_smaller():
    assert agree(np.array([10.0, 10.0, 10.0]), np.array([10.9, 11.1, 9.1]), 0.1).tolist() == [True, False, True]
    assert agree(np.array([9.0]), np.array([10.0]), 0.1).tolist() == [False]  # 1 / 9 > 10%


def _runs(g, settled, g_init, task="recall"):
    """A combined-runs table with given learned g and settled flags, shape (run, layer, head)."""
    g = np.asarray(g, float)
    return xr.Dataset(
        {"g": (("run", "layer", "head"), g), "settled": (("run", "layer", "head"), np.asarray(settled, np.int8)),
         "task": ("run", np.array([task] * len(g))), "seed": ("run", np.zeros(len(g), int)),
         "g_init": ("run", np.asarray(g_init, float))})


def test_settled_and_unsettled_heads_are_marked_apart():
    runs = _runs([[[5.0, 6.0]], [[5.4, 20.0]]], [[[1, 0]], [[1, 1]]], [5.0, 40.0])
    both = np.ones(2, bool)
    assert sorted(head_values(runs, both, True)) == [5.0, 5.4, 20.0]
    assert head_values(runs, both, False).tolist() == [6.0]
    match = g0_agreement(runs, "recall", 0.1)
    # head 0: 5.0 vs 5.4 (8% apart, both settled); head 1: 6 vs 20
    assert (match["same"], match["pairs"], match["both_settled"]) == (1, 2, 1)
    assert match["inits"] == (5.0, 40.0)


TINY = dict(steps=120, log_every=40, batch=32, vocab=16, layers=2, heads=2, head_dim=16, width=64, mlp=128)


def test_tiny_model_learns_and_g_moves():
    result = train(TrainConfig(task="completion", g_init=5.0, **TINY))
    assert result.accuracy > 5 * result.chance  # 1/16 by chance
    assert np.max(np.abs(np.log(result.scales) - np.log(5.0))) > 0.1


def test_same_seed_same_bits():
    cfg = TrainConfig(task="induction", g_init=40.0, **{**TINY, "steps": 40, "log_every": 20})
    a, b = train(cfg), train(cfg)
    np.testing.assert_array_equal(a.trajectory, b.trajectory)
    assert a.accuracy == b.accuracy and a.loss == b.loss
    np.testing.assert_array_equal(a.settled, b.settled)
    assert a.steps == b.steps
    runs = combine_runs([run_dataset(cfg, a), run_dataset(cfg, b)])
    assert runs["g"].dims == ("run", "layer", "head") and list(runs["task"].values) == ["induction"] * 2


def test_bad_task_and_budget():
    with pytest.raises(ValueError, match="task must be one of"):
        tasks.make_batch("sorting", jax.random.PRNGKey(0), 2, 16)
    with pytest.raises(ValueError, match="multiple of log_every"):
        train(TrainConfig(steps=50, log_every=20))


def test_training_stops_once_settled_or_at_the_cap():
    # a tolerance no step can break: settled at every check from warm-up + window on; stops after patience
    # (window / log_every + 1 = 2) passing checks, at chunk 3 of 10
    quick = dict(TINY, steps=200, log_every=20, window=20, warmup=10)
    stopped = train(TrainConfig(task="recall", g_init=5.0, tol=0.99, **quick))
    assert stopped.steps == 60 and stopped.settled.all() and len(stopped.checkpoints) == 3
    capped = train(TrainConfig(task="recall", g_init=5.0, tol=1e-9, **{**quick, "steps": 60}))
    assert capped.steps == 60 and not capped.settled.any()

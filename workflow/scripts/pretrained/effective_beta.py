"""Stage adapter: effective β of every head of one packaged pre-trained model (BERT encoder or Llama decoder), offline."""
import json
import os

os.environ["HF_HUB_OFFLINE"] = "1"  # installed files only: nothing here may reach a model hub
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core per job (rule threads: 1): BLAS threads only spin

from sdmattn.pipeline.io import package_versions, write_table  # noqa: E402
from sdmattn.pipeline.stage import run_stage  # noqa: E402
from sdmattn.pretrained.texts import latex_paragraphs  # noqa: E402

GREEDY_PROMPT = "The capital of France is"  # the decoder's sanity check: its greedy continuation is recorded

with run_stage(snakemake, jax=False) as stage:  # noqa: F821 (injected by Snakemake)
    p = snakemake.params  # noqa: F821
    texts = latex_paragraphs(snakemake.input.texts, p.paragraphs, p.min_words)  # noqa: F821
    attrs = {"distribution": p.distribution, "label": p.label, "format": p.format,
             "texts_file": str(snakemake.input.texts)}  # noqa: F821
    if p.format == "gguf":
        from sdmattn.pretrained.decoder import decoder_reference_error, greedy, load_decoder, packaged_gguf
        from sdmattn.pretrained.effective_beta import decoder_beta_dataset

        model = load_decoder(packaged_gguf(p.distribution))
        ds = decoder_beta_dataset(model, texts, p.context, snakemake.wildcards.model)  # noqa: F821
        attrs |= {"weights": str(model.path), "greedy_prompt": GREEDY_PROMPT, "greedy": greedy(model, GREEDY_PROMPT, 1)}
        stage.log.info("greedy continuation of %r: %r; perplexity %.3f over %d tokens", GREEDY_PROMPT, attrs["greedy"],
                       ds.attrs["perplexity"], ds.attrs["predicted_tokens"])
        libraries, check = ("gguf", "tokenizers"), decoder_reference_error
    else:
        from sdmattn.pretrained.effective_beta import effective_beta_dataset
        from sdmattn.pretrained.encoder import load_encoder, packaged_model_dir, reference_error

        model = load_encoder(packaged_model_dir(p.distribution))
        ds = effective_beta_dataset(model, texts, p.context, snakemake.wildcards.model)  # noqa: F821
        attrs["weights"] = str(model.folder)
        libraries, check = ("safetensors", "tokenizers"), reference_error
    attrs["model_versions"] = json.dumps(package_versions((p.distribution, *libraries)), sort_keys=True)
    if len(snakemake.input.reference):  # noqa: F821
        error = check(model, snakemake.input.reference[0])  # noqa: F821
        stage.log.info("forward pass vs the reference activations: max abs difference %.3g", error)
        attrs["reference_max_abs_error"] = error
    write_table(ds.assign_attrs(**attrs), snakemake.output[0], stage.attrs)  # noqa: F821

"""Stage adapter: effective β of every head of one packaged pre-trained encoder, offline."""
import json
import os

os.environ["HF_HUB_OFFLINE"] = "1"  # installed files only: nothing here may reach a model hub

from sdmattn.pipeline.io import package_versions, write_table  # noqa: E402
from sdmattn.pipeline.stage import run_stage  # noqa: E402
from sdmattn.pretrained.effective_beta import effective_beta_dataset  # noqa: E402
from sdmattn.pretrained.encoder import load_encoder, packaged_model_dir, reference_error  # noqa: E402
from sdmattn.pretrained.texts import latex_paragraphs  # noqa: E402

with run_stage(snakemake, jax=False) as stage:  # noqa: F821 (injected by Snakemake)
    p = snakemake.params  # noqa: F821
    encoder = load_encoder(packaged_model_dir(p.distribution))
    texts = latex_paragraphs(snakemake.input.texts, p.paragraphs, p.min_words)  # noqa: F821
    ds = effective_beta_dataset(encoder, texts, p.context, snakemake.wildcards.model)  # noqa: F821
    versions = json.dumps(package_versions((p.distribution, "safetensors", "tokenizers")), sort_keys=True)
    ds = ds.assign_attrs(distribution=p.distribution, label=p.label, model_versions=versions, weights=str(encoder.folder),
                         texts_file=str(snakemake.input.texts))  # noqa: F821
    if len(snakemake.input.reference):  # noqa: F821
        error = reference_error(encoder, snakemake.input.reference[0])  # noqa: F821
        stage.log.info("forward pass vs the reference activations: max abs difference %.3g", error)
        ds = ds.assign_attrs(reference_max_abs_error=error)
    write_table(ds, snakemake.output[0], stage.attrs)  # noqa: F821

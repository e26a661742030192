# Effective β of real pre-trained models shipped inside PyPI packages (the `pretrained` extra), offline:
# BERT encoders (safetensors) and Llama decoders (one GGUF file), by each model's `format`.
# PT_MODELS (common.smk) holds the configured models whose package is installed; none: the section is off.


rule effective_beta:
    input:
        texts=PT.texts_file,
        included=pretrained_texts_included,
        reference=pretrained_reference,
        lib=library("pretrained/encoder", "pretrained/decoder", "pretrained/gguf_file", "pretrained/effective_beta",
                    "pretrained/texts"),
    output:
        reported(pretrained_table("{model}"), "pretrained", "effective_beta_table", "Tables"),
    log:
        "data/logs/effective_beta/{model}.log",
    message:
        "Effective β of every head of {wildcards.model} on {params.paragraphs} paragraphs of {input.texts} (offline)"
    wildcard_constraints:
        model=r"[a-z][a-z0-9_]*",
    params:
        distribution=pretrained_model_param("distribution"),
        label=pretrained_model_param("label"),
        format=pretrained_model_param("format"),
        paragraphs=pretrained_model_param("paragraphs"),
        min_words=PT.min_words,
        context=pretrained_model_param("context"),
    resources:
        mem_mb=3000,
        runtime=10,
    conda:
        ENV_FILE
    script:
        "../scripts/pretrained/effective_beta.py"


rule figure_effective_beta:
    input:
        unpack(pretrained_inputs),
        style=FIG.style,
        lib=library("sections/pretrained", "sections/optimal", "sections/plotting"),
    output:
        reported(PRETRAINED_FIGURE, "pretrained", "effective_beta"),
    log:
        "data/logs/figure_effective_beta.log",
    message:
        "Figure: effective β of {params.settings} against β*_CD, β*_SNR, β*_Mem"
    params:
        settings=[f"pretrained_{k}" for k in PT_MODELS],
        width_in=FIG.text_width_in,
    conda:
        ENV_FILE
    script:
        "../scripts/pretrained/figure_effective_beta.py"


rule pretrained_values:
    input:
        unpack(pretrained_inputs),
        lib=library("sections/pretrained", "sections/optimal", "sections/latex"),
    output:
        macros="paper/generated/pretrained.tex",
        table="paper/generated/tables/effective_beta.tex",
    log:
        "data/logs/pretrained_values.log",
    message:
        "Generate the pre-trained-encoder section's numbers and table ({params.settings})"
    params:
        settings=[f"pretrained_{k}" for k in PT_MODELS],
    conda:
        ENV_FILE
    script:
        "../scripts/pretrained/pretrained_values.py"

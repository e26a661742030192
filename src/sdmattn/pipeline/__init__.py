"""The pipeline's own machinery: the only part of sdmattn that knows the config.

- `config`: the typed schema, Hydra compose with overrides, validation (`ConfigError` names the key);
- `memory_config`: the `memory` node of the schema and its checks;
- `budget`: the estimated cost of a build and the limits that refuse an absurd one;
- `io`: labelled tables and text written atomically with their provenance, `load_table`;
- `stage`: `run_stage(snakemake)`, the frame of every adapter in `workflow/scripts/`.
Nothing here imports Snakemake: the adapters hand it the `snakemake` object.
"""

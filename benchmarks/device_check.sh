#!/usr/bin/env bash
# One-shot check on a GPU machine (the project never needs one): the JAX kernels run there, agree with
# the oracles, and how fast they are. Uses the machine's own JAX; the library is imported from src/.
set -uo pipefail
export PYTHONPATH="$PWD/src" PYTHONUNBUFFERED=1 XLA_PYTHON_CLIENT_PREALLOCATE=false
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python3 -c 'import jax; print("jax", jax.__version__, jax.devices())'
timeout 200 python3 -m pytest -q -x -p no:cacheprovider tests/theory/test_intersection.py tests/theory/test_continuous.py \
  tests/theory/test_montecarlo.py tests/theory/test_approximation.py -k "not high_precision" 2>&1 | tail -5
timeout 200 python3 -m pytest -q -x -p no:cacheprovider tests/memory/test_memory.py -m "not workflow" 2>&1 | tail -5
timeout 120 python3 benchmarks/bench_intersection.py --repeats 3 --reference-samples 20
timeout 180 python3 benchmarks/bench_montecarlo.py --repeats 3 --neurons 100000000 --reference-neurons 1048576
timeout 150 python3 benchmarks/bench_memory.py

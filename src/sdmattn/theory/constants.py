"""The names and constants that the maths and the report share, with no JAX behind them: a figure or
values stage can read them without loading JAX (about a second a job)."""

import math

LOG2 = math.log(2.0)
OBJECTIVES = ("snr", "mem", "cd")  # signal-to-noise, memory capacity, critical distance (theory.optimal)
ESTIMATORS = ("published", "ols")  # the two log-linear β estimators (theory.beta)
KINDS = ("binary", "continuous")  # Hamming balls or hyperspherical caps (theory.beta, theory.caps)

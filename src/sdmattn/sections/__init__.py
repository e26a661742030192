"""One module per report section, each of the same shape: the datasets it builds (labelled xarray
tables), the figures it draws (from those tables only), and the values and tables it gives the report.

In report order: `scorecard`, `sdm`, `intersection`, `beta`, `continuous`, `optimal`, `memories`,
`learned_beta`, `pretrained`, `cerebellum`, `errata`; `plotting` and `latex` hold what their figures and values share. Each
section also has a rules file `workflow/rules/<section>.smk`, adapters `workflow/scripts/<section>/`
and a LaTeX file `paper/sections/<section>.tex`.
"""

import matplotlib

matplotlib.use("Agg")  # figures are files: no display, the same bytes everywhere

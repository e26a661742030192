"""Section "Reproduction scorecard": every published number the pipeline reproduces, in one table.

- datasets: none of its own; it reads the β fits, optimal radii, critical distances, Kanerva's table
  and the errata table that the other sections build, and computes the whole-cap fraction;
- figures: none;
- report: `scorecard_rows` (published value, ours, agreement), `scorecard_table` and `scorecard_values`.

A published value agrees when ours, rounded to the published digits, is the published value; a row
that does not agree says so, with the erratum that explains it where there is one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import xarray as xr

from .. import theory
from .latex import booktabs, fixed, sci

# The paper's published numbers (Bricken & Pehlevan 2021; docs/paper-spec.md), as printed.
PUBLISHED_SETTING = {"n": 64, "m": 1024, "log2_r": 64.0}
PUBLISHED_BETA = {5: "35.5", 11: "15.9", 15: "10.1"}  # β_Mem, β_SNR, β_CD (Cov ddof=1 / Var ddof=0)
PUBLISHED_FIT_RANGES = {  # published estimator over d_v = 0..d-1 (the figures) and 1..d (the β-against-d table)
    "from0": {5: "35.485", 11: "15.853", 15: "10.110"},
    "from1": {5: "35.362", 11: "15.868", 15: "10.123"},
}
FIT_RANGE_LABELS = {"from0": r"$d_v=0..d-1$ (figures)", "from1": r"$d_v=1..d$ ($\beta$-against-$d$ table)"}
PUBLISHED_D = {"snr": 11, "mem": 5, "cd": 15}
PUBLISHED_P = {"snr": 2.0**-25, "mem": 1.97993e-13}  # p*_SNR = 2^-25 exactly; p*_Mem to 6 digits
PUBLISHED_P_DIGITS = {"snr": 6, "mem": 6}
PUBLISHED_Z = "2.298313"
PUBLISHED_FULL_CAP = (11, 1.472727e-9)  # (d, fraction of S^63 in one cap), 7 digits
OBJECTIVE_LABELS = {"snr": "SNR", "mem": "Mem", "cd": "CD"}


@dataclass(frozen=True)
class Row:
    quantity: str  # LaTeX
    published: str  # LaTeX
    ours: str  # LaTeX
    agrees: bool
    note: str = ""  # why it does not agree (an erratum), LaTeX


def decimals_agree(published: str, ours: float) -> bool:
    """`ours` rounded to the decimals printed in `published` equals it."""
    places = -Decimal(published).as_tuple().exponent
    return f"{ours:.{max(places, 0)}f}" == published


def significant_agree(published: float, ours: float, digits: int) -> bool:
    """`ours` and `published` agree to `digits` significant digits."""
    return f"{ours:.{digits - 1}e}" == f"{published:.{digits - 1}e}"


def _same_setting(row: xr.Dataset) -> bool:
    return all(math.isclose(float(row[k]), v) for k, v in PUBLISHED_SETTING.items())


def scorecard_rows(fits: xr.Dataset, optimal: xr.Dataset, kanerva: xr.Dataset, cd: xr.Dataset, errata: xr.Dataset) -> list[Row]:
    """One `Row` per published number: β (both estimators, both fit ranges) at the published radii, d*,
    p*, z, Kanerva's table, the critical-distance plateaus and the whole-cap fraction (computed here by
    the library, at the published n and d)."""
    ref = optimal.sel(setting="reference")
    setting = _same_setting(ref) and int(fits.attrs.get("n", ref["n"])) == PUBLISHED_SETTING["n"]
    other = "" if setting else "the configured reference memory is not the paper's"
    rows = []
    for d, pub in PUBLISHED_BETA.items():
        if d not in fits["d"].values:
            continue
        b, ols = float(fits["beta_published"].sel(d=d)), float(fits["beta_ols"].sel(d=d))
        rows.append(Row(rf"$\beta$ at $d={d}$, published estimator", pub, fixed(b, 4), setting and decimals_agree(pub, b), other))
        rows.append(Row(rf"$\beta$ at $d={d}$, least squares", pub, fixed(ols, 4), setting and decimals_agree(pub, ols),
                        other or r"erratum: estimator (\S\ref{sec:errata})"))
    for first, published in PUBLISHED_FIT_RANGES.items():
        for d, pub in published.items():
            if setting and d in errata["radius"].values:
                b = float(errata[f"beta_{first}"].sel(radius=d))
                rows.append(Row(rf"$\beta$ at $d={d}$, {FIT_RANGE_LABELS[first]}", pub, fixed(b, 4), decimals_agree(pub, b)))
    for k, pub in PUBLISHED_D.items():
        ours = int(ref[f"d_{k}"])
        rows.append(Row(rf"$d^*_{{\rm {OBJECTIVE_LABELS[k]}}}$", str(pub), str(ours), setting and ours == pub, other))
    for k, pub in PUBLISHED_P.items():
        ours = 10 ** float(ref[f"log10_p_{k}"])
        shown = r"2^{-25}" if k == "snr" else sci(pub, 6)
        rows.append(Row(rf"$p^*_{{\rm {OBJECTIVE_LABELS[k]}}}$", f"${shown}$", f"${sci(ours, PUBLISHED_P_DIGITS[k])}$",
                        setting and significant_agree(pub, ours, PUBLISHED_P_DIGITS[k]), other))
    z = float(ref["z"])
    rows.append(Row(r"$z = \Phi^{-1}(0.5^{1/n})$", PUBLISHED_Z, fixed(z, 6), setting and decimals_agree(PUBLISHED_Z, z), other))
    book, scaled = kanerva["book"].values, np.round(kanerva["ball_normalised"].values)
    for dv, pub, ours in zip(kanerva["dv"].values, book, scaled):
        rows.append(Row(rf"Kanerva's table, $d_v={int(dv)}$ ($E_0 I/I(0)$)", f"{pub:g}", f"{ours:g}", bool(ours == pub),
                        "" if ours == pub else "rounding of the book"))
    at_top = cd["cd_vs_r"].isel(log2_r=-1)
    for d in PUBLISHED_BETA:
        if d in cd["radius"].values:
            ours = int(at_top.sel(radius=d))
            rows.append(Row(rf"CD plateau, $d={d}$, $r=2^{{{float(cd['log2_r'][-1]):g}}}$", f"$2d+1={2 * d + 1}$", str(ours),
                            ours == 2 * d + 1))
    d, pub = PUBLISHED_FULL_CAP
    ours = math.exp(float(theory.log_cap_fraction(PUBLISHED_SETTING["n"], d)))
    rows.append(Row(rf"whole cap, $n={PUBLISHED_SETTING['n']}$, $d={d}$", f"${sci(pub, 7)}$", f"${sci(ours, 7)}$",
                    significant_agree(pub, ours, 7)))
    return rows


def scorecard_table(rows: list[Row]) -> str:
    """The scorecard as a booktabs table: quantity, published, ours, agreement (with its reason)."""
    cells = [[r.quantity, r.published, r.ours, "yes" if r.agrees else r"\textbf{no}" + (f" ({r.note})" if r.note else "")] for r in rows]
    return booktabs(["quantity", "published", "ours", "agrees"], cells, "lrrl")


def scorecard_values(rows: list[Row]) -> dict[str, str]:
    """Macros `score/...`: how many published numbers were compared and how many agree."""
    return {"score/rows": str(len(rows)), "score/agree": str(sum(r.agrees for r in rows)),
            "score/disagree": str(sum(not r.agrees for r in rows))}

"""Section "Errata": each known quirk of the published computations, computed both ways.

- datasets: `errata_dataset(...)`: the two fit ranges of β, the continuous count with both constants,
  Kanerva's ball-minus-lune form in float64 beside the exact count, d*_SNR at the two m, and the
  teaching formula's differences from the exact count over a whole table;
- figures: `plot_cancellation` (the float64 form against the exact count, log scale);
- report: `errata_values` (macros `err/...`); the side-by-side table is paper/sections/errata.tex's, of macros.
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from .. import theory
from .latex import fixed, sci, thousands
from .plotting import LOG10, new_figure

STORED_OUTPUT_M = 60_000  # the m behind the published optimal-radius output (the paper's memory has m = 1024)
GARBAGE_RELATIVE_ERROR = 1e-6  # the float64 form counts as wrong from the first d_v with a larger relative error


# Datasets -----------------------------------------------------------------------------------------


def errata_dataset(ref_n: int, radii, r, ref_m: int, float_n: int, float_d: int, cont_d: int) -> xr.Dataset:
    """Every erratum's two computations at the reference memory (n, radii, r neurons, m), the float form
    at (float_n, float_d) and the continuous count at radius cont_d."""
    radii = np.union1d(np.asarray(radii, dtype=np.int64), [cont_d])  # the fit ranges also at the continuous radius
    lw = theory.log_weights(ref_n, radii)
    fit0, fit1 = theory.regress_log_intersection(lw, radii), theory.regress_log_intersection(lw, radii, first=1)
    dv = np.arange(float_n + 1)
    exact = theory.log_weights(float_n, np.asarray(float_d))  # exact log I, -inf beyond 2d
    floated = theory.ball_minus_lune_float64(float_n, float_d, dv)
    cos = np.asarray(theory.cosines(ref_n))
    counts = {c: theory.log_cap_count(ref_n, cont_d, cos, r, c) for c in ("published", "intended")}
    cont_fit = {c: theory.regress_log_intersection(counts[c], cont_d) for c in counts}
    snr = {m: theory.optimal_radii(ref_n, m, r) for m in (ref_m, STORED_OUTPUT_M)}
    teaching, exact_counts = theory.teaching_table(ref_n)
    gap = np.vectorize(lambda t, e: float(abs(t - e)), otypes=[float])(teaching, exact_counts)
    rel = gap / np.where(exact_counts > 0, exact_counts, 1).astype(float)
    data = {
        "beta_from0": ("radius", fit0.published, {"long_name": "β (published estimator), d_v = 0..d-1"}),
        "beta_from1": ("radius", fit1.published, {"long_name": "β (published estimator), d_v = 1..d"}),
        "log_exact": ("float_dv", exact, {"long_name": "exact log I, n = float_n, d = float_d"}),
        "ball_minus_lune": ("float_dv", floated, {"long_name": "ball minus lune in float64"}),
        "log_count_published": ("cont_dv", counts["published"], {"long_name": "log r A/A_n, constant 2 + log J"}),
        "log_count_intended": ("cont_dv", counts["intended"], {"long_name": "log r A/A_n, constant log 2 + log J"}),
        "cont_beta_published": ((), float(cont_fit["published"].ols)),
        "cont_beta_intended": ((), float(cont_fit["intended"].ols)),
        "d_snr": ("m", [snr[m].d["snr"] for m in snr], {"long_name": "d*_SNR"}),
        "log10_p_snr": ("m", [snr[m].log_p["snr"] / math.log(10) for m in snr]),
        "teaching_differs": (("d", "dv"), teaching != exact_counts, {"long_name": "teaching formula != exact count"}),
        "teaching_zero": (("d", "dv"), (teaching == 0) & (exact_counts > 0), {"long_name": "teaching formula 0, exact > 0"}),
        "teaching_absolute": (("d", "dv"), gap, {"long_name": "|teaching - exact|"}),
        "teaching_relative": (("d", "dv"), rel, {"long_name": "|teaching - exact| / exact"}),
    }
    coords = {"radius": radii, "float_dv": dv, "cont_dv": np.arange(ref_n + 1), "m": [ref_m, STORED_OUTPUT_M],
              "d": np.arange(ref_n + 1), "dv": np.arange(ref_n + 1)}
    return xr.Dataset(data, coords=coords).assign_attrs(ref_n=ref_n, float_n=float_n, float_d=float_d, cont_d=cont_d,
                                                        log2_r=math.log2(r))


def float_form_failures(ds: xr.Dataset) -> dict[str, int]:
    """Where the float64 form breaks: first d_v off by more than GARBAGE_RELATIVE_ERROR, first off by 100 %,
    and how many d_v beyond 2d (where I = 0) it leaves nonzero."""
    exact, floated = np.exp(ds["log_exact"].values), ds["ball_minus_lune"].values
    rel = np.abs(floated - exact) / np.where(exact > 0, exact, np.inf)
    beyond = ds["float_dv"].values > 2 * ds.attrs["float_d"]
    return {"garbage": int(np.argmax(rel > GARBAGE_RELATIVE_ERROR)), "wrong": int(np.argmax(rel >= 1.0)),
            "beyond": int(beyond.sum()), "nonzero_beyond": int(np.count_nonzero(floated[beyond]))}


# Figures ------------------------------------------------------------------------------------------


def plot_cancellation(ds: xr.Dataset, style, width_in: float) -> Figure:
    """log10 I against d_v: exact, and the float64 ball-minus-lune form (negative values marked)."""
    n, d = ds.attrs["float_n"], ds.attrs["float_d"]
    dv, floated = ds["float_dv"].values, ds["ball_minus_lune"].values
    fig, axes = new_figure(style, width_in, 0.42)
    ax = axes[0, 0]
    finite = np.isfinite(ds["log_exact"].values)
    ax.plot(dv[finite], ds["log_exact"].values[finite] / LOG10, "-", lw=2, label="exact (log space)")
    pos, neg = floated > 0, floated < 0
    ax.plot(dv[pos], np.log10(floated[pos]), ".", ms=2.5, label="ball minus lune, float64")
    if neg.any():
        ax.plot(dv[neg], np.log10(-floated[neg]), "x", ms=3, label="ball minus lune, float64 (negative: $|I|$)")
    fails = float_form_failures(ds)
    ax.axvline(fails["garbage"], color="0.4", ls=":", lw=1, label=rf"relative error $>10^{{-6}}$ from $d_v={fails['garbage']}$")
    ax.axvline(2 * d, color="0.4", ls="--", lw=1, label=rf"$d_v = 2d = {2 * d}$ (exact $I = 0$ beyond)")
    ax.set_xlabel(r"Hamming distance $d_v$")
    ax.set_ylabel(r"$\log_{10} I(d_v)$")
    ax.set_title(rf"$n={n}$, $d={d}$")
    ax.legend(loc="lower left")
    return fig


# Report values ------------------------------------------------------------------------------------


def qknorm_note(published: dict[str, list[float]] | None) -> str:
    """The QK-norm erratum's sentence: what an overlaid file of published scales holds, per module."""
    if not published:
        return (r"This build overlays no published file (\texttt{learned\_beta.published\_file} is empty), so the "
                r"label does not enter its numbers.")
    sizes = sorted({len(v) for v in published.values()})
    total = sum(len(v) for v in published.values())
    per = ", ".join(str(s) for s in sizes)
    return (rf"The overlaid file holds ${total}$ scales in ${len(published)}$ blocks of ${per}$ modules each: "
            r"one value per attention layer, not per head.")


def errata_values(ds: xr.Dataset, published: dict[str, list[float]] | None = None) -> dict[str, str]:
    """Macros `err/...` for the errata section (`published`: the overlaid QK-norm scales, if any)."""
    values = {"err/refn": str(ds.attrs["ref_n"]), "err/floatn": str(ds.attrs["float_n"]), "err/floatd": str(ds.attrs["float_d"]),
              "err/twod": str(2 * ds.attrs["float_d"]), "err/contd": str(ds.attrs["cont_d"]),
              "err/log2r": f"{ds.attrs['log2_r']:g}", "err/radii": ", ".join(str(int(d)) for d in ds["radius"].values),
              "err/qknorm": qknorm_note(published)}
    for first in ("from0", "from1"):
        values[f"err/range/{first}"] = ", ".join(fixed(float(b), 3) for b in ds[f"beta_{first}"].values)
        values[f"err/range/decay/{first}"] = fixed(float(ds[f"beta_{first}"].sel(radius=ds.attrs["cont_d"])), 3)
    shift = ds["log_count_published"] - ds["log_count_intended"]
    values |= {"err/cont/factor": fixed(math.exp(float(shift.mean())), 4),
               "err/cont/published": sci(math.exp(float(ds["log_count_published"][0]))),
               "err/cont/intended": sci(math.exp(float(ds["log_count_intended"][0]))),
               "err/cont/betapub": fixed(float(ds["cont_beta_published"]), 4),
               "err/cont/betaint": fixed(float(ds["cont_beta_intended"]), 4)}
    values |= {f"err/float/{k}": str(v) for k, v in float_form_failures(ds).items()}
    for m, key in zip(ds["m"].values, ("paper", "stored")):
        values[f"err/m/{key}"] = thousands(int(m))
        values[f"err/m/{key}/d"] = str(int(ds["d_snr"].sel(m=m)))
        values[f"err/m/{key}/p"] = sci(10 ** float(ds["log10_p_snr"].sel(m=m)))
    differs, zero = ds["teaching_differs"].values, ds["teaching_zero"].values
    rel, gap = (ds[f"teaching_{k}"].values[differs & ~zero] for k in ("relative", "absolute"))
    values |= {"err/teach/entries": thousands(differs.size), "err/teach/differ": thousands(int(differs.sum())),
               "err/teach/zero": thousands(int(zero.sum())),
               "err/teach/absmin": thousands(int(gap.min())) if gap.size else "--",
               "err/teach/relmin": sci(float(rel.min())) if rel.size else "--",
               "err/teach/relmax": sci(float(rel.max())) if rel.size else "--"}
    return values

"""Section "Attention as an associative memory, with only the scale learned": where the optimal g sits.

- datasets: `scale_dataset` (random ±1 memories: g trained from below β*_CD and above β*_Mem for every
  (m, noise), the grid-scan oracle, each point's verdict, and β* of the optimal stage for the same n, m)
  and `digits_scale_dataset` (the digit images: g learned alone and with a projection of queries and keys);
- figures: `plot_learned_scale` (g* against k, a panel per m with its β*; g* against m with the β*
  curves; the digits' runs);
- report: `scale_table` and `scale_values` (where g* falls among the β*, and the noise that puts it at each).
"""

from __future__ import annotations

import dataclasses
import math

import matplotlib.lines
import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from ..learned.settings import RATIO_CLIP, SCALE_SCHEDULE_NAMES, batch_for
from ..theory.constants import OBJECTIVES
from .latex import booktabs, fixed, sci, thousands
from .optimal import OBJECTIVE_NAMES, beta_star_position
from .plotting import new_figure, readable_log_axis

STARTS = ("below", "above")  # g0 below β*_CD and above β*_Mem


# Datasets -----------------------------------------------------------------------------------------


def noise_label(k_min: int, k_max: int) -> str:
    """'k=20' for a fixed level, 'k~U16..28' for a mixture (the table's and figures' noise names)."""
    return f"k={k_min}" if k_min == k_max else f"k~U{k_min}..{k_max}"


def noise_grid(k: list[int], mixtures: list[dict]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Labels, k_min and k_max of every noise distribution: the fixed levels, then the mixtures."""
    bounds = [(int(x), int(x)) for x in k] + [(int(mx["k_min"]), int(mx["k_max"])) for mx in mixtures]
    return [noise_label(*b) for b in bounds], np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])


def context_betas(context: xr.Dataset, n: int, ms: list[int]) -> dict[str, np.ndarray]:
    """d*, β* (published estimator) and the least-squares β fitted at d*, per objective, for (n, each m)
    from the optimal stage's context sweep."""
    row = context.sel(n=n, m=ms)
    return {f"{k}_{obj}": row[f"{k}_{obj}"].values for obj in OBJECTIVES for k in ("d", "beta_published", "beta_ols")}


def scale_dataset(setting: dict, context: xr.Dataset, log=print) -> xr.Dataset:
    """Train g alone on every (m, noise) from both starts, scan the oracle, and give each point its verdict.

    `setting`: the `learned_scale` config as a dict (n, m, k, mixtures, seed, start_below, start_above,
    steps, batch, lr, lr_end, window, tol, agreement, scan). One jitted training call per m covers
    every noise and both starts."""
    import jax  # the figure and values rules read the table without JAX

    from ..learned import scale
    from ..learned.random_memory import PROPOSAL_POWER, memory_law

    n, ms = int(setting["n"]), [int(m) for m in setting["m"]]
    labels, k_min, k_max = noise_grid(setting["k"], setting["mixtures"])
    probs = np.stack([scale.noise_probabilities(n, int(a), int(b)) for a, b in zip(k_min, k_max)])
    stars = context_betas(context, n, ms)
    sched = scale.ScaleSchedule(**{f: setting[f] for f in SCALE_SCHEDULE_NAMES})
    batches = np.array([batch_for(m, sched.batch, setting.get("batch_by_m")) for m in ms])
    sc = setting["scan"]
    key = jax.random.PRNGKey(int(setting["seed"]))
    g0 = np.stack([setting["start_below"] * stars["beta_published_cd"], setting["start_above"] * stars["beta_published_mem"]], 1)
    shape = (len(ms), len(labels), len(STARTS))
    out = {name: np.zeros(shape) for name in ("g", "drift", "spread", "final_log_loss")}
    out["settled"] = np.zeros(shape, dtype=bool)
    traj_all = np.zeros(shape + (sched.steps,))
    scan_g, scan_low, scan_high = np.zeros(shape[:2]), np.zeros(shape[:2]), np.zeros(shape[:2])
    scan_edge = np.zeros(shape[:2], dtype=np.int64)
    scan_loss = np.zeros(shape[:2] + (int(sc["points"]),))
    verdicts = np.empty(shape[:2], dtype=object)
    grid = None
    for i, m in enumerate(ms):
        k_train, k_scan = jax.random.split(jax.random.fold_in(key, m))
        law = memory_law(n, m)
        runs_p = np.concatenate([probs, probs])  # every noise from below, then every noise from above
        runs_g0 = np.repeat(g0[i], len(labels))
        traj, losses = scale.train_scales(k_train, law, runs_p, runs_g0, dataclasses.replace(sched, batch=int(batches[i])))
        traj = traj.reshape(len(STARTS), len(labels), -1).transpose(1, 0, 2)
        losses = losses.reshape(len(STARTS), len(labels), -1).transpose(1, 0, 2)
        st = scale.settle_summary(traj, sched.window, sched.tol)
        scan = scale.scan_scales(k_scan, law, probs, int(sc["samples"]), float(sc["g_min"]), float(sc["g_max"]),
                                 int(sc["points"]), int(sc["batches"]))
        grid = scan.grid
        traj_all[i] = traj
        for name in ("g", "drift", "spread", "settled"):
            out[name][i] = getattr(st, name)
        out["final_log_loss"][i] = losses[..., -sched.window:].mean(-1)
        scan_g[i], scan_edge[i], scan_loss[i], scan_low[i], scan_high[i] = scan.g, scan.edge, scan.loss, scan.low, scan.high
        for j in range(len(labels)):
            verdicts[i, j] = scale.scale_verdict(st.g[j], st.drift[j], st.settled[j], scan.g[j], scan.edge[j],
                                                 float(sc["g_max"]), float(setting["agreement"]), scan.low[j], scan.high[j])
        log(f"m={m}: " + "; ".join(f"{lab} {verdicts[i, j]} (g {st.g[j, 0]:.3g}/{st.g[j, 1]:.3g}, scan {scan.g[j]:.3g})"
                                   for j, lab in enumerate(labels)))
    dims, dims_s = ("m", "noise", "start"), ("m", "noise")
    ds = xr.Dataset(
        {
            "g": (dims, out["g"], {"long_name": "learned g*: exp of the mean log g over the last window"}),
            "drift": (dims, out["drift"], {"long_name": "change of log g over the last window (signed)"}),
            "spread": (dims, out["spread"], {"long_name": "max - min of log g over the last window"}),
            "settled": (dims, out["settled"], {"long_name": "|drift| < tol"}),
            "final_log_loss": (dims, out["final_log_loss"], {"long_name": "mean log training loss over the last window"}),
            "log_g_trajectory": (dims + ("step",), traj_all),
            "g0": (("m", "start"), g0),
            "batch": ("m", batches, {"long_name": "queries per training step"}),
            "scan_g": (dims_s, scan_g, {"long_name": "minimiser of the scanned expected loss"}),
            "scan_edge": (dims_s, scan_edge, {"long_name": "-1/+1: the scan's minimum at its lowest/highest g"}),
            "scan_low": (dims_s, scan_low, {"long_name": "lowest g the scan cannot tell from its minimiser (0: grid end)"}),
            "scan_high": (dims_s, scan_high, {"long_name": "highest g the scan cannot tell from its minimiser (inf: grid end)"}),
            "scan_log_loss": (dims_s + ("g_grid",), scan_loss, {"long_name": "log of the scanned mean loss"}),
            "verdict": (dims_s, verdicts.astype(str)),
            "k_min": ("noise", k_min), "k_max": ("noise", k_max),
            **{name: ("m", v) for name, v in stars.items()},
        },
        coords={"m": ms, "noise": labels, "start": list(STARTS), "step": np.arange(1, sched.steps + 1), "g_grid": grid},
    )
    attrs = {f: setting[f] for f in ("n", "seed", "start_below", "start_above", "steps", "batch", "lr", "lr_end", "window", "tol", "agreement")}
    attrs.update({f"scan_{k}": v for k, v in sc.items()})
    attrs.update(proposal_power=PROPOSAL_POWER, momentum=scale.ADAM_MOMENTUM)
    return ds.assign_attrs(attrs)


def digits_scale_dataset(setting: dict, context: xr.Dataset, log=print) -> xr.Dataset:
    """The digit images (centred, unit length) as stored patterns and values; queries at cosine 1 - 2k/64
    from their target; g learned alone and with a projection W of queries and keys, from both starts
    (g0 = start_below β*_CD, start_above β*_Mem of the random memory of the same n, m); a scan of g at the
    identity and at each learned W. `setting` as for `scale_dataset`, plus `digits` {m, k, samples} and
    the β* {beta_cd, beta_snr, beta_mem} of the same (n, m)."""
    import jax

    from ..learned import scale
    from .memories import digit_images

    dg = setting["digits"]
    n, m, k = 64, int(dg["m"]), int(dg["k"])
    cos = 1.0 - 2.0 * k / n
    stars = {o: float(context_betas(context, n, [m])[f"beta_published_{o}"][0]) for o in OBJECTIVES}
    key = jax.random.fold_in(jax.random.PRNGKey(int(setting["seed"])), 10**6 + m)
    k_pick, k_train, k_scan = jax.random.split(key, 3)
    images = digit_images()[np.asarray(jax.random.permutation(k_pick, len(digit_images())))[:m]]
    patterns = scale.digit_patterns(images)
    pairs = np.triu_indices(m, 1)
    raw = images / np.linalg.norm(images, axis=1, keepdims=True)
    cos_raw, cos_centred = (raw @ raw.T)[pairs], (patterns @ patterns.T)[pairs]  # why the images are centred
    sched = scale.ScaleSchedule(**{f: setting[f] for f in SCALE_SCHEDULE_NAMES})
    sc = setting["scan"]
    g0 = np.array([setting["start_below"] * stars["cd"], setting["start_above"] * stars["mem"]])
    variants = ("scale", "projection")
    shape = (len(variants), len(STARTS))
    out = {name: np.zeros(shape) for name in ("g", "drift", "spread", "final_log_loss", "scan_g", "scan_edge", "scan_low", "scan_high")}
    out["settled"] = np.zeros(shape, dtype=bool)
    traj_all = np.zeros(shape + (sched.steps,))
    learn = np.repeat([False, True], len(STARTS))  # runs: (scale, below), (scale, above), (projection, ...)
    traj, losses, w = scale.train_projected_scale(k_train, patterns, cos, np.tile(g0, len(variants)), learn, sched)
    st = scale.settle_summary(traj, sched.window, sched.tol)
    for name in ("g", "drift", "spread", "settled"):
        out[name][:] = getattr(st, name).reshape(shape)
    out["final_log_loss"][:] = losses[:, -sched.window:].mean(-1).reshape(shape)
    traj_all[:] = traj.reshape(shape + (-1,))
    for r, (v, s) in enumerate(np.ndindex(*shape)):
        res = scale.scan_projected(k_scan, patterns, cos, w[r], int(dg["samples"]), float(sc["g_min"]), float(sc["g_max"]),
                                   int(sc["points"]), int(sc["batches"]))
        out["scan_g"][v, s], out["scan_edge"][v, s], out["scan_low"][v, s], out["scan_high"][v, s] = res[4:8]
    log(f"digits: g {out['g']} (settled {out['settled']}), scan at each run's final W {out['scan_g']}")
    dims = ("variant", "start")
    ds = xr.Dataset(
        {
            "g": (dims, out["g"]), "drift": (dims, out["drift"]), "spread": (dims, out["spread"]),
            "settled": (dims, out["settled"]), "final_log_loss": (dims, out["final_log_loss"]),
            "scan_g": (dims, out["scan_g"], {"long_name": "minimiser of the scanned loss at the run's final W (identity: scale only)"}),
            "scan_edge": (dims, out["scan_edge"].astype(np.int64)),
            "scan_low": (dims, out["scan_low"]), "scan_high": (dims, out["scan_high"]),
            "log_g_trajectory": (dims + ("step",), traj_all), "g0": ("start", g0),
        },
        coords={"variant": list(variants), "start": list(STARTS), "step": np.arange(1, sched.steps + 1)},
    )
    quantiles = {f"{name}_cos_q{q}": float(np.percentile(c, q)) for name, c in (("raw", cos_raw), ("centred", cos_centred)) for q in (5, 95)}
    return ds.assign_attrs(**quantiles, n=n, m=m, k=k, cos=cos, samples=int(dg["samples"]), beta_cd=stars["cd"],
                           beta_snr=stars["snr"], beta_mem=stars["mem"], steps=sched.steps, window=sched.window, tol=sched.tol,
                           agreement=setting["agreement"])


# Figures ------------------------------------------------------------------------------------------

STAR_STYLES = {"cd": ":", "snr": "--", "mem": "-."}
START_MARKERS = {"below": "^", "above": "v"}


def _fixed_noise(ds: xr.Dataset) -> np.ndarray:
    return ds["k_min"].values == ds["k_max"].values


def plot_learned_scale(ds: xr.Dataset, digits: xr.Dataset, style, width_in: float) -> Figure:
    """Top row, a panel per m: learned g* against the fixed noise k (▲ from below β*_CD, ▼ from above
    β*_Mem; hollow where the point's verdict is not 'agrees'), the scan's minimiser (line) and its
    resolution (a bar per k), diverging
    points as arrows at the scan's top; β* (published estimator, black lines) and the least-squares β
    fitted at the same d* (grey). Bottom left: g* against m per noise (agreeing points), with the β*
    curves of the same n. Bottom right: the digits' log g during training, scale alone and with W."""
    ms = [int(m) for m in ds["m"].values]
    fig, axes = new_figure(style, width_in, 0.72, nrows=2, ncols=max(len(ms), 3))
    fixed_noise = _fixed_noise(ds)
    g_max = float(ds.attrs["scan_g_max"])
    for i, m in enumerate(ms):
        ax = axes[0, i]
        k = ds["k_min"].values[fixed_noise]
        sel = ds.isel(m=i, noise=np.flatnonzero(fixed_noise))
        agrees = sel["verdict"].values == "agrees"
        inside = sel["scan_edge"].values == 0
        scan = np.where(inside, sel["scan_g"].values, np.nan)
        ax.vlines(k[inside], sel["scan_low"].values[inside], np.minimum(sel["scan_high"].values[inside], g_max * 1.5),
                  color="C0", alpha=0.3, lw=5)  # the scan's resolution at each k (open above: drawn to the axis top)
        ax.plot(k, scan, "-", color="C0", lw=1.0, label="scan minimiser")
        for s, start in enumerate(STARTS):
            g = sel["g"].values[:, s]
            shown = agrees | np.isin(sel["verdict"].values, ("flat", "disagrees"))
            ax.scatter(k[shown], np.minimum(g[shown], g_max), marker=START_MARKERS[start], s=18, zorder=3,
                       facecolors=np.where(agrees[shown], f"C{s + 1}", "none").tolist(), edgecolors=f"C{s + 1}")
        up = sel["verdict"].values == "diverges"
        for kk in k[up]:
            ax.annotate("", xy=(kk, g_max), xytext=(kk, g_max / 4), arrowprops={"arrowstyle": "->", "color": "C3", "lw": 1.0})
        for obj in OBJECTIVES:
            ax.axhline(float(ds[f"beta_published_{obj}"].values[i]), ls=STAR_STYLES[obj], color="k", lw=0.8)
            ax.axhline(float(ds[f"beta_ols_{obj}"].values[i]), ls=STAR_STYLES[obj], color="0.6", lw=0.8)
        ax.set_yscale("log")
        ax.set_xlim(k.min() - 1.5, k.max() + 1.5)
        ax.set_ylim(float(ds.attrs["scan_g_min"]) * 4, g_max * 1.5)
        readable_log_axis(ax.yaxis)
        ax.set_title(f"$m={m}$")
        ax.set_xlabel("bits flipped $k$")
        if i == 0:
            ax.set_ylabel("learned $g^*$")
    for ax in axes[0, len(ms):]:
        ax.set_axis_off()
    handles = [matplotlib.lines.Line2D([], [], color="C0", label="scan minimiser"),
               matplotlib.lines.Line2D([], [], color="C0", alpha=0.3, lw=5, label="scan's resolution"),
               matplotlib.lines.Line2D([], [], color="C1", marker="^", ls="", label=r"$g_0$ below $\beta^*_{\rm CD}$"),
               matplotlib.lines.Line2D([], [], color="C2", marker="v", ls="", label=r"$g_0$ above $\beta^*_{\rm Mem}$"),
               matplotlib.lines.Line2D([], [], color="C3", marker=r"$\uparrow$", ls="", label=r"diverges ($g^*=\infty$)")]
    handles += [matplotlib.lines.Line2D([], [], color="k", ls=STAR_STYLES[o], lw=0.8, label=rf"$\beta^*_{{\rm {OBJECTIVE_NAMES[o]}}}$")
                for o in OBJECTIVES]
    handles.append(matplotlib.lines.Line2D([], [], color="0.6", lw=0.8, label=r"OLS $\beta$ at $d^*$"))
    axes[1, 2].legend(handles=handles, fontsize=6.5, loc="center")
    ax = axes[1, 0]
    shown = [ds[f"beta_published_{obj}"].values for obj in OBJECTIVES]
    for j, label in enumerate(ds["noise"].values):
        sel = ds.isel(noise=j)
        ok = sel["verdict"].values == "agrees"
        if ok.any():
            shown.append(sel["g"].values[ok].mean(-1))
            ax.plot(np.array(ms)[ok], shown[-1], "o-", ms=3, lw=0.9, color=f"C{j % 10}", label=_noise_tex(label))
    for obj in OBJECTIVES:
        ax.plot(ms, ds[f"beta_published_{obj}"].values, ls=STAR_STYLES[obj], color="k", lw=0.8)
    ax.set_xscale("log", base=2)
    ax.set_xlim(min(ms) / 1.6, max(ms) * 1.6)
    ax.set_yscale("log")
    low, high = min(map(np.min, shown)), max(map(np.max, shown))
    ax.set_ylim(low / 1.5, high * (high / low) ** 0.6)  # the top third or so left empty for the legend
    readable_log_axis(ax.yaxis)
    ax.set_xlabel("stored patterns $m$")
    ax.set_ylabel("learned $g^*$ (agreeing points)")
    ax.legend(fontsize=5.5, ncols=3, loc="upper center", handlelength=1.5, columnspacing=0.8)
    ax = axes[1, 1]
    steps = digits["step"].values
    for v, variant in enumerate(digits["variant"].values):
        for s, start in enumerate(STARTS):
            ax.plot(steps, np.exp(digits["log_g_trajectory"].values[v, s]), ["-", "--"][v], color=f"C{s + 1}", lw=0.9)
    for obj, attr in (("cd", "beta_cd"), ("mem", "beta_mem")):
        ax.axhline(float(digits.attrs[attr]), ls=STAR_STYLES[obj], color="k", lw=0.8)
    ax.set_yscale("log")
    readable_log_axis(ax.yaxis)
    ax.set_xlabel("training step")
    ax.set_ylabel("$g$")
    ax.set_title(f"digits: $m={int(digits.attrs['m'])}$, $k={int(digits.attrs['k'])}$", fontsize=8)
    ax.legend(handles=[matplotlib.lines.Line2D([], [], color="0.3", ls="-", label="$g$ alone"),
                       matplotlib.lines.Line2D([], [], color="0.3", ls="--", label="$g$ with projection $W$")], fontsize=5.5,
              loc="lower right", bbox_to_anchor=(1.0, 0.18))  # between the β*_CD line and the trajectories
    for ax in axes[1, 2:]:
        ax.set_axis_off()
    return fig


# Report values and tables -------------------------------------------------------------------------


def _g_cell(ds: xr.Dataset, i: int, j: int, s: int) -> str:
    g = float(ds["g"].values[i, j, s])
    if g > float(ds.attrs["scan_g_max"]):
        return r"$>$" + fixed(float(ds.attrs["scan_g_max"]), 0)
    return fixed(g, 1) + ("" if ds["settled"].values[i, j, s] else r"$^\dagger$")


def _runs_cell(ds: xr.Dataset, i: int, j: int) -> str:
    """Both runs' g* against the scan's minimiser, for the prose: 'g* 51.8 and 49.3, scan 50.1'."""
    return rf"$g^*$ {_g_cell(ds, i, j, 0)} and {_g_cell(ds, i, j, 1)}, scan {_scan_cell(ds, i, j)}"


def _scan_cell(ds: xr.Dataset, i: int, j: int) -> str:
    edge = int(ds["scan_edge"].values[i, j])
    return {1: r"$\infty$", -1: r"$\to 0$"}.get(edge, fixed(float(ds["scan_g"].values[i, j]), 1))


def _span_cell(ds: xr.Dataset, i: int, j: int) -> str:
    """The scan's resolution as 'low--high' (∞ where the loss at the grid's top is indistinguishable);
    '--' where the scan's minimum is at an end of its grid (no interior optimum to resolve)."""
    if int(ds["scan_edge"].values[i, j]) != 0:
        return "--"
    low, high = (float(ds[f"scan_{b}"].values[i, j]) for b in ("low", "high"))
    return f"{fixed(low, 1)}--" + (r"$\infty$" if math.isinf(high) else fixed(high, 1))


def _noise_tex(label) -> str:
    """A noise label in math: $k=20$, $k\\sim U\\{16..28\\}$."""
    text = str(label)
    if "~U" in text:
        name, bounds = text.split("~U")
        return "$" + name + r"\sim U\{" + bounds.replace("..", r"\ldots") + r"\}$"
    return "$" + text + "$"


def scale_table(ds: xr.Dataset) -> str:
    """A row per (m, noise): β* of that m (on its first row), g* from both starts, the scan's minimiser and
    its resolution, the verdict, and where g* lies among the β*."""
    rows = []
    for i, m in enumerate(ds["m"].values):
        stars = [float(ds[f"beta_published_{o}"].values[i]) for o in ("cd", "snr", "mem")]
        for j, label in enumerate(ds["noise"].values):
            verdict = str(ds["verdict"].values[i, j])
            place = beta_star_position(float(ds["g"].values[i, j].mean()), *stars) if verdict == "agrees" else (
                r"above $\beta^*_{\rm Mem}$ ($\infty$)" if verdict == "diverges" else "--")
            first = j == 0
            rows.append([thousands(int(m)) if first else "", "/".join(fixed(b, 1) for b in stars) if first else "",
                         _noise_tex(label),
                         _g_cell(ds, i, j, 0) + "/" + _g_cell(ds, i, j, 1), _scan_cell(ds, i, j), _span_cell(ds, i, j), verdict, place])
    header = ["$m$", r"$\beta^*$ CD/SNR/Mem", "noise", r"$g^*$ from below/above", "scan", "resolved to", "verdict", r"$g^*$ lies"]
    return booktabs(header, rows, "rrlrrrll")


def crossing_k(k: np.ndarray, g: np.ndarray, level: float) -> float:
    """The noise k at which g*(k), falling with k, crosses `level` (linear in log g between the two
    bracketing points); NaN when the points do not bracket it."""
    for a in range(len(k) - 1):
        lo, hi = sorted((g[a], g[a + 1]))
        if lo <= level <= hi and g[a] != g[a + 1]:
            t = (math.log(level) - math.log(g[a])) / (math.log(g[a + 1]) - math.log(g[a]))
            return float(k[a] + t * (k[a + 1] - k[a]))
    return math.nan


def scale_values(ds: xr.Dataset, digits: xr.Dataset, reference_m: int) -> dict[str, str]:
    """Macros: the settings, the counts of verdicts, g* per noise at the reference m (or the largest m),
    the k that puts g* at each β*, and the digits' results."""
    ms = [int(m) for m in ds["m"].values]
    i = ms.index(reference_m) if reference_m in ms else len(ms) - 1
    verdict = ds["verdict"].values
    values = {
        "ls/n": str(int(ds.attrs["n"])), "ls/ms": ", ".join(thousands(m) for m in ms), "ls/m": thousands(ms[i]),
        "ls/points": str(verdict.size), "ls/steps": str(int(ds.attrs["steps"])),
        "ls/batch": ", ".join(f"{thousands(int(b))} at $m={thousands(m)}$" for m, b in zip(ms, ds["batch"].values)),
        "ls/lr": f"{float(ds.attrs['lr']):g}", "ls/lrend": f"{float(ds.attrs['lr_end']):g}",
        "ls/window": str(int(ds.attrs["window"])), "ls/tol": f"{float(ds.attrs['tol']):g}",
        "ls/agreement": fixed(100 * float(ds.attrs["agreement"]), 0) + r"\%",
        "ls/below": f"{float(ds.attrs['start_below']):g}", "ls/above": f"{float(ds.attrs['start_above']):g}",
        "ls/samples": thousands(int(ds.attrs["scan_samples"])), "ls/points/grid": str(int(ds.attrs["scan_points"])),
        "ls/gmin": f"{float(ds.attrs['scan_g_min']):g}", "ls/gmax": f"{float(ds.attrs['scan_g_max']):g}",
        "ls/settledruns": str(int(ds["settled"].values.sum())), "ls/runs": str(ds["settled"].size),
        "ls/ratioclip": thousands(int(RATIO_CLIP)),
        "ls/power": f"{float(ds.attrs['proposal_power']):g}", "ls/momentum": f"{float(ds.attrs['momentum']):g}",
    }
    for v in ("agrees", "diverges", "vanishes", "flat", "disagrees"):
        values[f"ls/count/{v}"] = str(int((verdict == v).sum()))
    loss = ds["scan_log_loss"].values
    depth = np.exp(loss[..., -1] - loss.min(-1)) - 1  # how much worse g_max is than the scan's best g

    def listed(name: str) -> str:
        """Every point with this verdict, its runs, the scan's resolution and how much worse g_max is."""
        return "; ".join(f"$m={thousands(ms[a])}$, {_noise_tex(ds['noise'].values[b])}: " + _runs_cell(ds, a, b) +
                         f" (resolved to {_span_cell(ds, a, b)}), loss at $g={float(ds.attrs['scan_g_max']):g}$ "
                         f"{fixed(100 * depth[a, b], 1)}\\% above the scan's minimum"
                         for a, b in zip(*np.nonzero(verdict == name))) or "none"

    values["ls/disagreeing"], values["ls/flat"] = listed("disagrees"), listed("flat")
    values["ls/batches"] = str(int(ds.attrs["scan_batches"]))
    div = sorted({str(ds["noise"].values[b]) for a, b in zip(*np.nonzero(verdict == "diverges"))})
    values["ls/diverging"] = ", ".join(_noise_tex(d) for d in div) if div else "none"
    sel = ds.isel(m=i)
    fixed_noise = _fixed_noise(ds)
    ok = fixed_noise & (sel["verdict"].values == "agrees")
    k, g = sel["k_min"].values[ok], sel["g"].values[ok].mean(-1)
    values["ls/ref/points"] = "; ".join(f"$k={int(a)}$: {fixed(b, 1)}" for a, b in zip(k, g)) or "none"
    stars = {o: float(sel[f"beta_published_{o}"]) for o in OBJECTIVES}
    parts = []
    for o in ("mem", "snr", "cd"):
        values[f"ls/ref/{o}"] = fixed(stars[o], 2)
        cross = crossing_k(k, g, stars[o])
        star = rf"$\beta^*_{{\rm {OBJECTIVE_NAMES[o]}}}={fixed(stars[o], 2)}$"
        if math.isfinite(cross):
            parts.append(rf"{star} at $k\approx{fixed(cross, 1)}$ (cosine {fixed(1 - 2 * cross / int(ds.attrs['n']), 2)})")
        elif len(g):
            parts.append(rf"{star} at no scanned $k$ (the agreeing $g^*$ span {fixed(g.min(), 1)}--{fixed(g.max(), 1)})")
    values["ls/ref/crossings"] = "; ".join(parts) if parts else "no $\\beta^*$ (no fixed noise level agrees)"
    mix = ~fixed_noise
    values["ls/ref/mixtures"] = "; ".join(
        _noise_tex(lab) + ": " + (fixed(float(sel["g"].values[j].mean()), 1) + " (" + beta_star_position(
            float(sel["g"].values[j].mean()), stars["cd"], stars["snr"], stars["mem"]) + ")" if sel["verdict"].values[j] == "agrees"
            else str(sel["verdict"].values[j]))
        for j, lab in zip(np.flatnonzero(mix), sel["noise"].values[mix])) or "none"
    for v, variant in enumerate(digits["variant"].values):
        g = digits["g"].values[v]
        values[f"ls/digits/{variant}/below"] = fixed(float(g[0]), 1)
        values[f"ls/digits/{variant}/above"] = fixed(float(g[1]), 1)
        values[f"ls/digits/{variant}/settled"] = str(int(digits["settled"].values[v].sum()))
        values[f"ls/digits/{variant}/scan"] = "/".join(
            r"$\infty$" if e == 1 else (r"$\to0$" if e == -1 else fixed(float(x), 1))
            for x, e in zip(digits["scan_g"].values[v], digits["scan_edge"].values[v]))
        values[f"ls/digits/{variant}/loss"] = sci(float(np.exp(digits["final_log_loss"].values[v]).mean()), 2)
        values[f"ls/digits/{variant}/place"] = beta_star_position(
            float(g.mean()), *(float(digits.attrs[f"beta_{o}"]) for o in ("cd", "snr", "mem")))
    values["ls/digits/m"] = thousands(int(digits.attrs["m"]))
    values["ls/digits/k"] = str(int(digits.attrs["k"]))
    values["ls/digits/cos"] = fixed(float(digits.attrs["cos"]), 2)
    for name in ("raw", "centred"):
        values[f"ls/digits/{name}cos"] = "[" + ", ".join(fixed(float(digits.attrs[f"{name}_cos_q{q}"]), 2) for q in (5, 95)) + "]"
    return values

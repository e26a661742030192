"""The workflow end to end on the smoke sweep, in a throw-away copy of the repository."""
import re
from pathlib import Path

import pytest
from builds import SMOKE, built_copy, copy_repo, planned_jobs, snakemake

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared" / "reference" / "qknorm_learned_betas.txt"

pytestmark = pytest.mark.workflow


@pytest.fixture(scope="module")
def built(smoke_build):
    return smoke_build.work, smoke_build.cache


def test_smoke_build_makes_the_report_with_figures_and_numbers(built):
    from pypdf import PdfReader

    work, _ = built
    pdf = work / "paper" / "build" / "report.pdf"
    assert pdf.is_file()
    reader = PdfReader(pdf)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "15.8528" in text and "14.4116" in text  # β at n = 64, d = 11, from the generated macros
    assert "35.4848" in text and "9.4364" in text
    assert "Hamming distance" in text  # text inside the included figure PDFs
    assert "2.298313" in text  # z of the capacity objective, from the optimal-radius stage
    marks = (work / "paper" / "generated" / "tables" / "beta_reference.tex").read_text()
    for d, objective in ((5, "Mem"), (11, "SNR"), (15, "CD")):  # β-table rows marked by the optimal stage
        assert re.search(rf"^{d} & \$d\^\*_{{\\rm {objective}}}\$ &", marks, re.M), marks
    forms = sum(len([x for x in page["/Resources"].get("/XObject", {}).values()]) for page in reader.pages)
    assert forms >= 8
    assert "References" in text and "Sparse Distributed Memory" in text and "[?]" not in text  # citations resolved
    assert "Learned" in text and "associative recall with noisy query keys (the SDM setting)" in " ".join(text.split())
    assert "pre-trained models" in text and "all-MiniLM-L6-v2" in text  # the pretrained stage's section
    assert "SmolLM2-135M-Instruct" in text and "Paris" in text  # its decoder part (the greedy continuation)
    for name in ("intersection_decay", "weight_comparison", "beta_sweep", "critical_distance", "beta_vs_context",
                 "sdm_schematic", "cerebellum", "learned_beta", "effective_beta", "weightings", "monte_carlo", "approximation",
                 "recall", "neuron_recall"):
        assert (work / "figures" / f"{name}.pdf").stat().st_size > 5000
    kanerva = (work / "paper" / "generated" / "tables" / "kanerva.tex").read_text()
    assert re.search(r"^0 & 1000 & 1000\.00 & 1071\.85 &", kanerva, re.M), kanerva  # d_v = 0: book, scaled, exact
    assert "Continuous SDM and simulated neurons" in text and "Kanerva" in text
    assert "SDM and attention as associative memories" in text
    recall = (work / "paper" / "generated" / "tables" / "recall.tex").read_text()
    assert "neuron SDM" in recall and "digits" in recall  # the neuron job's rows beside the pattern views
    resolved = (work / "data" / "config.resolved.yaml").read_text()
    assert "- 128" in resolved and "decay_radius: 11" in resolved
    for n in (16, 32, 64, 128):
        assert (work / "data" / "intersection" / f"n{n}.nc").is_file()


def test_second_run_does_nothing(built):
    work, cache = built
    result = snakemake(work, "--cores", "2", "--config", SMOKE, cache=cache)
    assert result.returncode == 0
    assert "Nothing to be done" in result.stdout + result.stderr


def test_override_reruns_only_what_depends_on_it(smoke_build, tmp_path):
    work, cache = built_copy(smoke_build.clean, tmp_path / "repo"), smoke_build.cache
    override = 'overrides=["preset=smoke","reference.decay_radius=5"]'
    plan = planned_jobs(snakemake(work, "-n", "--cores", "2", "--config", override, cache=cache))
    assert plan == {"all": 1, "figure_intersection_decay": 1, "report_values": 1, "continuous_report_values": 1,
                    "report": 1, "resolved_config": 1, "figure_marks": 1, "arxiv": 1,
                    "errata_table": 1, "errata_values": 1, "figure_cancellation": 1, "scorecard_values": 1}  # errata: at that radius
    table, figure = work / "data" / "intersection" / "n64.nc", work / "figures" / "intersection_decay.pdf"
    before = table.stat().st_mtime_ns
    # the figure the override changes, run for real: it reads the table without remaking it
    result = snakemake(work, "figures/intersection_decay.pdf", "--cores", "2", "--config", override, cache=cache)
    assert result.returncode == 0, result.stderr[-3000:]
    assert table.stat().st_mtime_ns == before and figure.read_bytes() != smoke_build.outputs["figures/intersection_decay.pdf"]
    # a new sweep point adds only its own table and fits, then what reads the combined table
    plan = planned_jobs(snakemake(work, "-n", "--cores", "2", "--config",
                                  'overrides=["preset=smoke","sweep.n=[16,32,64,128,48]"]'))
    assert plan["intersection_table"] == 1 and plan["beta_fits"] == 1 and "figure_weight_comparison" not in plan


def test_lint_is_clean(built):
    work, _ = built
    result = snakemake(work, "--lint", "--config", SMOKE)
    assert result.returncode == 0 and "Congratulations" in result.stdout + result.stderr, result.stdout


@pytest.mark.parametrize(
    "override, key",
    [
        ('overrides=["sweep.nn=[64]"]', "sweep.nn"),
        ('overrides=["sweep.n=ten"]', "sweep.n"),
        ('overrides=["sweep.n=[1,64]"]', "sweep.n"),
        ('overrides=["sweep.n=[]"]', "sweep.n"),
        ('overrides=["fit.d_min=40"]', "fit.d_min"),
        ('overrides=["reference.radii=[5,33]"]', "reference.radii"),
        ('overrides=["learned_beta.published_file=missing.txt"]', "missing.txt"),
        ('overrides=["learned_beta.tasks=[sorting]"]', "learned_beta.tasks"),
    ],
)
def test_bad_override_stops_before_any_job(tmp_path, override, key):
    work = copy_repo(tmp_path / "repo")
    result = snakemake(work, "--cores", "2", "--config", override)
    assert result.returncode != 0
    assert key in result.stderr and "refusing to run" in result.stderr, result.stderr
    assert sorted(p.name for p in (work / "data").iterdir()) == ["README.md"]  # no job ran, nothing written
    assert "Job stats" not in result.stdout + result.stderr


def test_figure_bytes_reproduce_in_a_new_process(built):
    work, cache = built
    figure = work / "figures" / "beta_sweep.pdf"
    before = figure.read_bytes()
    result = snakemake(work, "figures/beta_sweep.pdf", "--forcerun", "figure_beta_sweep", "--cores", "1", "--config", SMOKE,
                       cache=cache)  # the target first: --forcerun and --config each take every word after them
    assert result.returncode == 0, result.stderr[-2000:]
    assert planned_jobs(result) == {"figure_beta_sweep": 1}
    assert figure.read_bytes() == before


@pytest.mark.skipif(not REFERENCE.is_file(), reason="../shared/reference is absent")
def test_published_overlay_reaches_the_report(built):
    from pypdf import PdfReader

    work, cache = built
    override = f'overrides=["preset=smoke","learned_beta.published_file={REFERENCE}"]'
    plan = planned_jobs(snakemake(work, "-n", "--cores", "2", "--config", override, cache=cache))
    assert set(plan) == {"all", "figure_learned_beta", "report_values", "report", "resolved_config", "errata_values",
                         "figure_marks", "arxiv"}
    assert snakemake(work, "--cores", "2", "--config", override, cache=cache).returncode == 0
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(work / "paper/build/report.pdf").pages).split())
    assert "published scales of the QK-Norm Transformers are overlaid" in text and "ar-en: 18 of 18" in text

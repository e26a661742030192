"""The scorecard's agreement rule and the figures' caption marks (no build needed)."""
import pytest

from sdmattn.sections.latex import figure_commit, figure_mark
from sdmattn.sections.scorecard import PUBLISHED_BETA, decimals_agree, significant_agree


def test_agreement_at_the_published_precision():
    assert decimals_agree(PUBLISHED_BETA[11], 15.8528) and decimals_agree("2.298313", 2.2983134)
    assert not decimals_agree(PUBLISHED_BETA[11], 14.4116)  # least squares is not the published β
    assert not decimals_agree("10.1", 10.15)
    assert significant_agree(1.97993e-13, 1.979934e-13, 6) and not significant_agree(1.97993e-13, 1.9799e-13, 6)


SHA = "0123456789abcdef0123456789abcdef01234567"


def test_caption_mark_plain_and_linked():
    plain = figure_mark("figure_recall", "workflow/scripts/memories/figure_recall.py", SHA)
    assert plain == (r"rule \texttt{figure\_recall}, \nolinkurl{workflow/scripts/memories/figure_recall.py}, "
                     r"commit \texttt{0123456789ab}")
    linked = figure_mark("figure_recall", "workflow/scripts/memories/figure_recall.py", SHA + "-dirty", "https://github.com/o/sdmattn")
    assert rf"\href{{https://github.com/o/sdmattn/blob/{SHA}/workflow/scripts/memories/figure_recall.py}}" in linked
    assert linked.endswith("with local changes")
    assert "no commit" in figure_mark("figure_x", "s.py", None, "https://github.com/o/sdmattn") and "href" not in figure_mark("figure_x", "s.py", None, "https://github.com/o/sdmattn")


@pytest.mark.parametrize("subject, commit", [
    (b"/Subject (sdmattn stage figure_recall, git commit " + SHA.encode() + b")", SHA),
    (b"/Subject (sdmattn stage figure_recall, git commit abcdef1-dirty)", "abcdef1-dirty"),
    (b"/Creator (sdmattn)", None),
])
def test_figure_commit_from_the_pdf_metadata(subject, commit):
    assert figure_commit(b"%PDF-1.4\n" + subject + b"\n%%EOF") == commit


def test_arxiv_members_from_the_recorder_file(tmp_path):
    from sdmattn.sections.latex import arxiv_members

    paper = tmp_path / "paper"
    lines = ["PWD /x", "INPUT /usr/share/texlive/article.cls", "INPUT report.tex", "INPUT ./sections//beta.tex",
             "INPUT ./generated/tables/kanerva.tex", "INPUT ../figures//recall.pdf", "INPUT build/report.aux",
             "INPUT build/report.bbl", "OUTPUT build/report.log"]
    fls = "\n".join(lines)
    members = arxiv_members(fls, paper)
    assert list(members) == ["figures/recall.pdf", "generated/tables/kanerva.tex", "report.bbl", "report.tex", "sections/beta.tex"]
    assert members["figures/recall.pdf"] == (tmp_path / "figures" / "recall.pdf").resolve()
    with pytest.raises(ValueError, match="absolute path"):
        arxiv_members(fls + f"\nINPUT {tmp_path / 'data' / 'x.tex'}", paper)
    with pytest.raises(ValueError, match="outside paper/ and figures/"):
        arxiv_members(fls + "\nINPUT ../data/x.tex", paper)
    with pytest.raises(ValueError, match="no .bbl"):
        arxiv_members(fls.replace("INPUT build/report.bbl", ""), paper)

"""The report's layout, read from the smoke build's PDF: every float on the page of its first mention or
the next, before the next section starts; the appendix's long tables before the bibliography; the
bibliography last."""
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.workflow

CAPTION = re.compile(r"\b(Figure|Table) (\d+): ")
MENTION = re.compile(r"\b(Figure|Table) (\d+)\b(?!:)")


@dataclass(frozen=True, order=True)
class At:
    page: int  # 0-based
    offset: int  # character offset in the page's text


def page_texts(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]


def section_starts(pdf: Path, pages: list[str]) -> dict[str, At]:
    """Each top-level section of the PDF outline (hyperref's bookmarks) and where its heading stands."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    starts = {}
    for item in reader.outline:
        if isinstance(item, list):
            continue
        page = reader.get_destination_page_number(item)
        title = " ".join(item.title.split())
        found = pages[page].find(title)
        starts[title] = At(page, max(found, 0))  # a title the text renders otherwise (math): the top of its page
    return starts


def floats_and_mentions(pages: list[str]) -> tuple[dict[str, At], dict[str, At]]:
    """Where each float's caption stands, and where it is first mentioned in the text (captions excluded)."""
    floats, mentions = {}, {}
    for page, text in enumerate(pages):
        for m in CAPTION.finditer(text):
            floats.setdefault(f"{m.group(1)} {m.group(2)}", At(page, m.start()))
        for m in MENTION.finditer(text):
            mentions.setdefault(f"{m.group(1)} {m.group(2)}", At(page, m.start()))
    return floats, mentions


def layout_problems(pdf: Path) -> list[str]:
    """Every breach of the layout rule, in words (empty: the layout holds)."""
    pages = page_texts(pdf)
    starts = section_starts(pdf, pages)
    floats, mentions = floats_and_mentions(pages)
    problems = []
    references = starts.get("References")
    appendix = next((at for title, at in starts.items() if title.startswith("Long tables")), None)
    if references is None:
        return ["no References in the outline"]
    if max(starts.values()) != references:
        problems.append(f"the bibliography is not last: {max(starts, key=starts.get)!r} follows it")
    for name, at in sorted(floats.items(), key=lambda kv: kv[1]):
        if at > references:
            problems.append(f"{name} (page {at.page + 1}) comes after the bibliography")
        if name not in mentions:
            problems.append(f"{name} is never mentioned")
            continue
        if appendix is not None and at > appendix:
            continue  # a long table of the appendix: after its mention, before the bibliography
        first = mentions[name]
        if not 0 <= at.page - first.page <= 1:
            problems.append(f"{name} is on page {at.page + 1}, first mentioned on page {first.page + 1}")
        following = [s for s in starts.values() if s > first]
        if following and at > min(following):
            problems.append(f"{name} (page {at.page + 1}) lands after the section that follows its first mention")
    return problems


def test_every_float_near_its_first_mention_and_the_bibliography_last(smoke_build):
    pdf = smoke_build.clean / "paper" / "build" / "report.pdf"
    floats, mentions = floats_and_mentions(page_texts(pdf))
    assert len(floats) >= 20 and set(floats) <= set(mentions) | set(floats)
    assert layout_problems(pdf) == []


@pytest.mark.skipif(not os.environ.get("SDMATTN_LAYOUT_PDF"), reason="set SDMATTN_LAYOUT_PDF to a report PDF to check it")
def test_layout_of_a_report_built_elsewhere():
    """The same rule for any report, e.g. the default build's:
    `SDMATTN_LAYOUT_PDF=paper/build/report.pdf pytest tests/workflow/test_layout.py`."""
    pdf = Path(os.environ["SDMATTN_LAYOUT_PDF"]).resolve()
    assert pdf.is_file(), f"SDMATTN_LAYOUT_PDF={pdf}: no such file"
    assert layout_problems(pdf) == []

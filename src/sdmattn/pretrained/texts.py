"""Plain-text paragraphs from a LaTeX file: the inputs of the pre-trained-model stage.

The effective β of a pre-trained encoder is measured on text, and nothing may be downloaded, so the
texts are the prose paragraphs of a file in the repository (by default the report's own source).
`latex_paragraphs(path, count, min_words)` reads the file with the files it `\\input`s in place (a
report split into section files reads as one; `latex_sources` lists them), drops comments, floats and
display math, turns inline math and commands into plain words, and returns the first `count`
paragraphs of at least `min_words` words.
"""

from __future__ import annotations

import re
from pathlib import Path

_COMMENT = re.compile(r"(?<!\\)%.*$", re.M)
_BODY = re.compile(r"\\begin\{document\}(.*?)\\end\{document\}", re.S)
_BLOCK = re.compile(r"\\begin\{(figure|table|tabular|equation|align|thebibliography)\*?\}.*?\\end\{\1\*?\}", re.S)
_DROP = re.compile(r"\\(?:cite|ref|eqref|label|input|include|includegraphics|bibliography|bibliographystyle)"
                   r"(?:\[[^\]]*\])?\{[^}]*\}")
_GENERATED = re.compile(r"\\sdm\{[^}]*\}")  # a generated value: read as a placeholder word
_MATH = re.compile(r"\$([^$]*)\$")
_COMMAND = re.compile(r"\\[A-Za-z]+\*?")
_INPUT = re.compile(r"\\input\{([^}]*)\}")
GENERATED = "generated"  # the pipeline's own outputs beside the report: values, not prose (never expanded)


_WORDS = {"alpha", "beta", "gamma", "delta", "epsilon", "mu", "nu", "xi", "rho", "sigma", "tau", "phi", "Phi",
          "cos", "exp", "log", "min", "max", "sum"}  # math commands read as words; the rest are dropped


def _plain_math(math: str) -> str:
    math = _COMMAND.sub(lambda m: f" {m.group(0)[1:]} " if m.group(0)[1:] in _WORDS else " ", math)
    return re.sub(r"[{}^_\\]", " ", math)


def latex_to_text(tex: str) -> str:
    """One LaTeX paragraph as plain words (generated values become 'x')."""
    tex = _DROP.sub("", tex)
    tex = _GENERATED.sub("x", tex)
    tex = _MATH.sub(lambda m: _plain_math(m.group(1)), tex)
    tex = re.sub(r"\\(?:section|subsection|paragraph)\*?\{([^}]*)\}", r"\1.", tex)
    tex = tex.replace("~", " ").replace("\\\\", " ").replace("{,}", ",")
    tex = _COMMAND.sub(" ", tex)
    tex = re.sub(r"[{}]", "", tex)
    return re.sub(r"\s+", " ", tex).strip()


def _input_target(folder: Path, name: str) -> Path | None:
    """The file `\\input{name}` reads (relative to the main file's folder, as LaTeX resolves it), if it
    is prose source."""
    target = folder / (name if name.endswith(".tex") else f"{name}.tex")
    return target if target.is_file() and Path(name).parts[0] != GENERATED else None


def _read(path: Path, folder: Path, seen: tuple[Path, ...] = ()) -> str:
    """The file without comments, each `\\input` of a prose file replaced by that file's text (recursively)."""
    if path.resolve() in seen:
        raise ValueError(f"{path}: \\input cycle through {', '.join(map(str, seen))}")
    try:
        source = _COMMENT.sub("", path.read_text())
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read texts: {exc}") from None

    def expand(m: re.Match) -> str:
        target = _input_target(folder, m.group(1))
        return m.group(0) if target is None else _read(target, folder, (*seen, path.resolve()))

    return _INPUT.sub(expand, source)


def latex_sources(path: str | Path) -> list[Path]:
    """`path` and every prose file it `\\input`s, directly or not: what `latex_paragraphs` reads."""
    found = [Path(path)]
    for source in found:  # grows while it is walked: breadth first, each file once
        try:
            text = _COMMENT.sub("", source.read_text())
        except (OSError, UnicodeDecodeError):
            continue
        targets = (_input_target(found[0].parent, name) for name in _INPUT.findall(text))
        found += [t for t in targets if t is not None and t not in found]
    return found


def latex_paragraphs(path: str | Path, count: int, min_words: int) -> list[str]:
    """The first `count` prose paragraphs of at least `min_words` words in a LaTeX file; a
    `ValueError` naming the file when it has fewer."""
    path = Path(path)
    source = _read(path, path.parent)
    body = _BODY.search(source)
    source = _BLOCK.sub("\n\n", body.group(1) if body else source)
    paragraphs = [latex_to_text(p) for p in re.split(r"\n\s*\n", source)]
    found = [p for p in paragraphs if len(p.split()) >= min_words]
    if len(found) < count:
        raise ValueError(f"{path}: {len(found)} paragraphs of at least {min_words} words, {count} asked for")
    return found[:count]

"""Plain-text paragraphs from a LaTeX file: the inputs of the pre-trained-model stage.

The effective β of a pre-trained encoder is measured on text, and nothing may be downloaded, so the
texts are the prose paragraphs of a file in the repository (by default the report's own source).
`latex_paragraphs(path, count, min_words)` drops comments, floats and display math, turns inline
math and commands into plain words, and returns the first `count` paragraphs of at least
`min_words` words.
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


def latex_paragraphs(path: str | Path, count: int, min_words: int) -> list[str]:
    """The first `count` prose paragraphs of at least `min_words` words in a LaTeX file; a
    `ValueError` naming the file when it has fewer."""
    path = Path(path)
    try:
        source = path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read texts: {exc}") from None
    source = _COMMENT.sub("", source)
    body = _BODY.search(source)
    source = _BLOCK.sub("\n\n", body.group(1) if body else source)
    paragraphs = [latex_to_text(p) for p in re.split(r"\n\s*\n", source)]
    found = [p for p in paragraphs if len(p.split()) >= min_words]
    if len(found) < count:
        raise ValueError(f"{path}: {len(found)} paragraphs of at least {min_words} words, {count} asked for")
    return found[:count]

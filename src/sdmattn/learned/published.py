"""Reader for published learned softmax scales (the QK-Norm authors' printed format).

The file holds blocks of printed Python lists of `('<layer>.mha_scale.scale', tensor(<value>, ...))`
tuples, one per attention layer; blocks after the first are headed by a language-pair line, and `#`
lines are comments. `read_published_betas(path)` returns {block name: values}; anything else on a
line stops with a `ValueError` naming the path and the line number.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

_VALUE = re.compile(r"^\s*\[?\s*\(\s*'([\w.]+)'\s*,\s*tensor\(\s*([-+0-9.eE]+)\s*(?:,[^)]*)?\)\s*\)\s*[,\]]*\s*$")
_HEADER = re.compile(r"^\s*([A-Za-z]{2,3}-[A-Za-z]{2,3})\s*$")  # a language pair, e.g. ar-en


def read_published_betas(path: str | Path) -> dict[str, list[float]]:
    """Published learned scales by block (the first block is named 'block 1' unless headed)."""
    path = Path(path)
    try:
        lines = path.read_text().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read published learned scales: {exc}") from None
    blocks: dict[str, list[float]] = {}
    current = None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        value = _VALUE.match(line)
        if value:
            x = float(value.group(2))
            if not math.isfinite(x) or x <= 0:
                raise ValueError(f"{path}:{number}: a softmax scale must be a positive number, got {x}")
            if current is None:
                current = f"block {len(blocks) + 1}"
            blocks.setdefault(current, []).append(x)
            continue
        header = _HEADER.match(line)
        if header:
            current = header.group(1)
            if current in blocks:
                raise ValueError(f"{path}:{number}: block {current!r} appears twice")
            continue
        raise ValueError(f"{path}:{number}: expected ('<name>.mha_scale.scale', tensor(<value>, ...)) or a block header, got {line.strip()[:80]!r}")
    if not blocks:
        raise ValueError(f"{path}: no learned scales found")
    return blocks

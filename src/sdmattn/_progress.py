"""Progress bars for the long loops (training, Monte Carlo, recall, the tables of many settings).

`progress(iterable, desc=...)` is tqdm around a loop. Outside a pipeline stage the bar goes to stderr
when that is a terminal and nowhere otherwise (tests, notebooks' logs). Inside one,
`sdmattn.pipeline.stage.run_stage` sends bars to the job's log file and, when a console is attached
to the job, to the console too (`progress_to`). A bar only counts the items the loop takes: what the
loop computes, and every output byte, is the same with or without it.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from tqdm import tqdm

_streams: list[TextIO] = []  # where the running stage wants bars; empty outside a stage


class _Tee:
    """A text stream writing to several (a log file and the console)."""

    def __init__(self, streams: list[TextIO]):
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()


@contextlib.contextmanager
def progress_to(log: TextIO) -> Iterator[None]:
    """Within the block, bars go to `log` and, when stderr is a terminal, to stderr as well."""
    console = [sys.stderr] if sys.stderr.isatty() else []
    _streams[:] = [log, *console]
    try:
        yield
    finally:
        _streams.clear()


def progress(iterable: Iterable, desc: str | None = None, total: int | None = None, unit: str = "it") -> tqdm:
    """`iterable` with a bar (see the module docstring)."""
    if not _streams:
        return tqdm(iterable, desc=desc, total=total, unit=unit, file=sys.stderr, disable=None)
    # A log file is no terminal: a fixed width, and an update at most every 2 s keeps it short.
    return tqdm(iterable, desc=desc, total=total, unit=unit, file=_Tee(list(_streams)), ncols=100, mininterval=2.0)

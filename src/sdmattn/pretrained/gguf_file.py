"""A GGUF file (llama.cpp's model format): its metadata header, read fast, and its tensors, dequantised.

A GGUF file is a header of typed key/value metadata (the architecture's sizes, the tokenizer's
vocabulary and merges), a table of tensor descriptions and the tensor data, often quantised in
blocks (Q4_1: 32 weights share a float16 scale and minimum). Two readers:

- `read_metadata(path, keys)`: the header's scalar values, parsed here from the format's
  specification (magic `GGUF`, version 2 or 3, little-endian counts, then key, type, value) and
  stopping as soon as every asked-for key is found: a few milliseconds, so that the config checks
  of every build can read a model's sizes without loading it;
- `read_tensors(path)`: every tensor as float64, with the full metadata, arrays included: the
  header and tensor table parsed here, the data read at once and the quantised blocks expanded by
  the `gguf` package's `gguf.quants.dequantize`.

Tensors keep GGUF's names and their row-major shape (rows, columns) = (ne1, ne0): a matrix stored
for `x @ W.T` reads as (out, in), as in PyTorch.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"GGUF"
# The specification's value types: struct format of the scalars; 8 is a string, 9 an array.
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9


class _Header:
    """Sequential little-endian reads of a GGUF header, with the path in every error."""

    def __init__(self, path: Path):
        self.path = path
        self.file = path.open("rb")

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        raw = self.file.read(size)
        if len(raw) != size:
            raise ValueError(f"{self.path}: the GGUF header ends early (truncated file)")
        return struct.unpack(fmt, raw)[0]

    def string(self) -> str:
        n = self.take("<Q")
        if n > 1 << 24:
            raise ValueError(f"{self.path}: a GGUF string of {n} bytes (corrupt header)")
        return self.file.read(n).decode("utf-8", errors="replace")

    def value(self, kind: int, keep: bool):
        if kind in _SCALARS:
            return self.take(_SCALARS[kind])
        if kind == _STRING:
            return self.string()
        if kind == _ARRAY:
            inner, count = self.take("<I"), self.take("<Q")
            if inner in _SCALARS and not keep:  # skipped in one seek
                self.file.seek(count * struct.calcsize(_SCALARS[inner]), 1)
                return None
            items = [self.value(inner, keep) for _ in range(count)]
            return items if keep else None
        raise ValueError(f"{self.path}: unknown GGUF value type {kind} (corrupt header)")


def _read_header(path: Path, keys: list[str] | None, tensors: bool):
    """(metadata, tensor table, data offset) of a GGUF file; see `read_metadata` and `read_layout`."""
    want = None if keys is None else set(keys)
    header = _Header(path)
    with header.file:
        if header.file.read(4) != MAGIC:
            raise ValueError(f"{path}: not a GGUF file (no 'GGUF' magic)")
        version = header.take("<I")
        if version not in (2, 3):
            raise ValueError(f"{path}: GGUF version {version}; versions 2 and 3 are read")
        n_tensors, n_keys = header.take("<Q"), header.take("<Q")
        found = {}
        for _ in range(n_keys):
            key = header.string()
            kind = header.take("<I")
            keep = want is None or key in want
            value = header.value(kind, keep)
            if keep:
                found[key] = value
            if not tensors and want is not None and want <= found.keys():
                return found, [], 0
        table = []
        for _ in range(n_tensors if tensors else 0):
            name = header.string()
            dims = [header.take("<Q") for _ in range(header.take("<I"))]
            table.append(TensorInfo(name, tuple(reversed(dims)), header.take("<I"), header.take("<Q")))
        align = int(found.get("general.alignment", 32)) if want is None else 32
        start = -(-header.file.tell() // align) * align
    return found, table, start


def read_metadata(path: str | Path, keys: list[str] | None = None) -> dict[str, object]:
    """The header's metadata {key: value} (arrays as lists); with `keys`, only those (arrays skipped),
    stopping as soon as all are found (milliseconds). A `ValueError` naming the file when it is not
    GGUF or is truncated; missing keys are simply absent from the answer."""
    return _read_header(Path(path), keys, tensors=False)[0]


@dataclass(frozen=True)
class TensorInfo:
    """One tensor's entry in the header: row-major shape (GGUF's dims reversed), ggml type, offset
    from the start of the data section."""

    name: str
    shape: tuple[int, ...]
    kind: int
    offset: int


def read_layout(path: str | Path) -> tuple[dict[str, object], list[TensorInfo], int]:
    """The full metadata, the tensor table and the byte offset of the data section."""
    return _read_header(Path(path), None, tensors=True)


def read_tensors(path: str | Path) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """Every tensor of the file as float64 (quantised ones expanded by `gguf.quants.dequantize`), by
    GGUF name, and the full metadata. The header is parsed here (gguf's `GGUFReader` builds a numpy
    view per vocabulary string: 15 s for a 49k-token vocabulary, against 0.3 s); the data is read
    through a memory map. Needs the `gguf` package (the caller names the extra when it is missing)."""
    import gguf

    path = Path(path)
    metadata, table, start = read_layout(path)
    data = np.fromfile(path, dtype=np.uint8)  # one read: slices of a memmap cost 1 s more
    tensors = {}
    for info in table:
        kind = gguf.GGMLQuantizationType(info.kind)
        block, size = gguf.GGML_QUANT_SIZES[kind]
        rows = int(np.prod(info.shape[:-1]))
        if info.shape[-1] % block:
            raise ValueError(f"{path}: tensor {info.name} has rows of {info.shape[-1]}, not whole blocks of {block}")
        nbytes = rows * info.shape[-1] // block * size
        begin = start + info.offset
        if begin + nbytes > data.size:
            raise ValueError(f"{path}: tensor {info.name} runs past the end of the file (truncated)")
        raw = data[begin:begin + nbytes].reshape(1, -1)  # one row: gguf loops over row groups in Python (1 s more)
        if kind in (gguf.GGMLQuantizationType.F32, gguf.GGMLQuantizationType.F16):
            values = raw.view(np.float32 if kind == gguf.GGMLQuantizationType.F32 else np.float16)
        else:
            values = gguf.quants.dequantize(raw, kind)
        tensors[info.name] = np.asarray(values, dtype=np.float64).reshape(info.shape)
    return tensors, metadata

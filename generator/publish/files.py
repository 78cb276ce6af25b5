"""Writing files into the site being built, and what a page says about a download."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Download:
    label: str
    path: str          # where it is in the site (from the URL map)
    format: str
    bytes: int

    @property
    def size(self) -> str:
        if self.bytes < 1024:
            return f"{self.bytes} bytes"
        if self.bytes < 1024 * 1024:
            return f"{self.bytes / 1024:.1f} KB"
        return f"{self.bytes / 1024 / 1024:.1f} MB"


def write_bytes(output: Path, relpath: str, data: bytes) -> int:
    path = output / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def write_text(output: Path, relpath: str, text: str) -> int:
    return write_bytes(output, relpath, text.encode("utf-8"))


def json_text(data) -> str:
    """JSON as every file of the site writes it: compact (indenting forces Python's slow encoder, and
    made a third of a rebuild's time; a browser shows JSON indented anyway), UTF-8 text as it is, one
    final newline."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_json(output: Path, relpath: str, data) -> int:
    return write_text(output, relpath, json_text(data))


def copy_file(output: Path, relpath: str, source: Path) -> int:
    path = output / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, path)
    return path.stat().st_size

"""Every importer writes a package the same way: into a copy of its folder, checked by frictionless,
and swapped in whole only when valid, so a refused import changes no file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from frictionless import FrictionlessException, Package

from ..errors import ImportFailed
from ..problems import frictionless_type
from ..publish.atomic import switch_into_place


@contextmanager
def staged(folder: Path) -> Iterator[Path]:
    """A copy of `folder` (empty when it is new) to write into; on leaving without an error it must be a
    valid package, and replaces `folder`. On any failure the copy is removed and `folder` is untouched."""
    stage = folder.parent / f".{folder.name}-importing"
    shutil.rmtree(stage, ignore_errors=True)
    try:
        if folder.is_dir():
            shutil.copytree(folder, stage, symlinks=True)
        else:
            stage.mkdir(parents=True)
        yield stage
        check_stage(stage, folder)
        switch_into_place(stage, folder).join()
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def check_stage(stage: Path, folder: Path) -> None:
    """ImportFailed unless the copy `stage` of the package `folder` is valid; problems name the files as
    they will be (in `folder`), not the copy."""
    try:
        report = Package(str(stage / "datapackage.json")).validate()
    except FrictionlessException as exc:
        raise ImportFailed([frictionless_type(exc.error.type)(str(folder / "datapackage.json"), None, None,
                                                              exc.error.message)]) from None
    if not report.valid:
        raise ImportFailed([frictionless_type(e.type)(str(folder / (task.place or "datapackage.json")),
                                                      getattr(e, "row_number", None),
                                                      getattr(e, "field_name", None), e.message)
                            for task in report.tasks for e in task.errors][:20])

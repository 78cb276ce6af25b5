"""The atomic switch that puts a finished build in place of the old one.

A build is written into a sibling folder and exchanged with `output` in one rename, so a
reader (or a web server) sees the old site or the new one, never a mix; a build that fails
or is killed leaves the old site as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

from ..errors import BuildError, ConfigError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    result = libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


MARKER = ".dashboard-build"   # written into every build: only a folder holding it may be replaced


def check_output(output: Path, protected: list[Path]) -> None:
    """Refuse an output folder whose replacement would destroy anything but an earlier build.

    The switch deletes the previous output, so it must never be the project, the data, the
    content, the theme or a folder holding any of them, nor a folder of someone else's.
    """
    target = output.resolve()
    if target == Path(target.anchor) or target == Path.home().resolve():
        raise ConfigError(f"Output '{output}' is a root or home folder; choose a folder of its own, such as 'output'.")
    for path in protected:
        p = path.resolve()
        if target == p or target in p.parents:
            raise ConfigError(f"Output '{output}' would replace '{path}', which the build reads; "
                              "choose a folder of its own, such as 'output'.")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise ConfigError(f"Output '{output}' already holds files that no earlier `dashboard build` wrote; "
                          "the build replaces its output whole, so choose an empty or new folder, or remove it.")


def staging_dir(output: Path) -> Path:
    """A fresh sibling folder to build into (same filesystem, so the switch is a rename)."""
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(output)
    stage = output.parent / f".{output.name}-building-{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir()
    (stage / MARKER).write_text("This folder was written by `dashboard build` and is replaced whole by the next build.\n")
    return stage


def _remove_abandoned(output: Path) -> None:
    """Half-written folders of builds that were killed: their process is gone, so nobody needs them."""
    for stale in output.parent.glob(f".{output.name}-building-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)) and (stale / MARKER).is_file():
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def switch_into_place(stage: Path, output: Path) -> threading.Thread:
    """Replace `output` by `stage` so that readers see the old site or the new one, never a mix. The old site
    is removed by the thread this returns, started already: the caller joins it, meanwhile doing what else it
    has to (a thousand measures' site takes seconds to remove)."""
    removal = threading.Thread(target=_remove, args=(_switch(stage, output),), name="removing the old site")
    removal.start()
    return removal


def switch_and_let_go(stage: Path, output: Path) -> None:
    """Replace `output` by `stage` as switch_into_place does, and leave the old site to an `rm` that goes on
    once the build has ended, rather than wait at its end for the disk. It is renamed aside first, so the next
    build's stage is free; what an interrupted removal leaves, the next build removes (remove_set_aside)."""
    old = _switch(stage, output)
    if old is None:
        return
    aside = _set_aside_path(output.absolute())
    try:
        old.rename(aside)
    except OSError:             # not where it can be renamed: removed now, as switch_into_place would
        _remove(old)
        return
    if not _remove_after_exit(aside):
        _remove(aside)


def _set_aside_path(output: Path) -> Path:
    """Where switch_and_let_go renames an old site of `output` (absolute): beside it, named as _is_set_aside
    knows it."""
    return output.parent / f".{output.name}-set-aside-{os.getpid()}-{os.urandom(4).hex()}"


def _is_set_aside(path: Path, output: Path) -> bool:
    """Whether `path` is an old site of `output` that switch_and_let_go renamed aside (_set_aside_path's name)."""
    return re.fullmatch(rf"\.{re.escape(output.name)}-set-aside-\d+-[0-9a-f]{{8}}", path.name) is not None


def remove_set_aside(output: Path) -> threading.Thread:
    """Start removing what is left of old sites of `output` set aside by earlier builds (an `rm` interrupted,
    or one still at work), in a thread the caller joins; never the folder `output` is a link to."""
    output = output.absolute()
    live = output.resolve()
    folders = [p for p in output.parent.iterdir() if _is_set_aside(p, output) and p.resolve() != live]

    def remove_each() -> None:
        for folder in folders:
            _remove(folder)
    removal = threading.Thread(target=remove_each, name="removing old sites")
    removal.start()
    return removal


def _remove_after_exit(folder: Path) -> bool:
    """Start removing `folder` with an `rm` in a session of its own, not waited for (a shell starts it in the
    background and ends), so it goes on after the build; whether it was started (POSIX, with rm)."""
    rm, sh = _rm(), shutil.which("sh")
    if not (rm and sh):
        return False
    try:
        return subprocess.run([sh, "-c", '"$0" -rf -- "$1" </dev/null >/dev/null 2>&1 &', rm, str(folder)],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True).returncode == 0
    except OSError:
        return False


def _remove(folder: Path | None) -> None:
    if folder is None:
        return
    # With rm (POSIX), in a process of its own: shutil.rmtree in this thread would take turns at Python with
    # the build's last steps (a thousand measures' site: 17,000 files, 1.8 s, against 0.8 s so).
    rm = _rm()
    try:
        if rm and subprocess.run([rm, "-rf", "--", str(folder)], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
            return
    except OSError:             # rm could not be started: removed here
        pass
    shutil.rmtree(folder, ignore_errors=True)


def _rm() -> str | None:
    """The POSIX `rm` to remove a site with (None: not here, or not POSIX)."""
    return shutil.which("rm") if os.name == "posix" else None


def _switch(stage: Path, output: Path) -> Path | None:
    """switch_into_place's renames; the folder now holding the old site, to be removed (None: there was none)."""
    output = output.absolute()
    if output.is_symlink():
        # A symlinked output (some hosts use one): point a new link at the new build, then rename over.
        final = output.parent / f".{output.name}-{stage.name.rsplit('-', 1)[-1]}-{os.urandom(4).hex()}"
        stage.rename(final)
        link = output.parent / f".{output.name}-link-{os.getpid()}"
        link.symlink_to(final.name)
        old = output.resolve()
        os.replace(link, output)
        if old.is_dir() and old.parent == output.parent and old.name.startswith(f".{output.name}-"):
            return old
        return None
    if not output.exists():
        stage.rename(output)
        return None
    if not output.is_dir():
        raise BuildError(f"'{output}' exists and is not a folder; move it away and build again.")
    if _exchange(stage, output):
        return stage            # which now holds the old site
    # No exchange rename: fall back to two renames (a moment without output, never a mix).
    old = output.parent / f".{output.name}-old-{os.getpid()}"
    output.rename(old)
    stage.rename(output)
    return old

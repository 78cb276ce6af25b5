"""An audit hook that refuses to open any file beside the repository (in a folder next to it).

The project must never read outside its own folder at build, run or test time: a clone from the git
host has nothing beside it. conftest.py installs this hook in the test processes and puts this folder
on PYTHONPATH, so every `dashboard` command a test starts installs it too (Python imports
`sitecustomize` at start-up). A refused open raises OutsideRepository (not an OSError, so no
`except OSError` can swallow it) and is written to the log that conftest checks after every test.
It watches what reads a file's contents (Python's `open`, which frictionless, csv and the build use);
a bare `stat` or a folder listing is not a read, and programs other than Python (git) are not watched.

Not refused, wherever the repository is: Python's own installation (a virtual environment may sit
beside the repository), the temporary folder (tests write there), the user's cache folder (pip and
Playwright keep theirs there) and the system folders the standard library reads (time zones, MIME
types), which are beside the repository only when it sits at the top of the file system.
"""

from __future__ import annotations

import getpass
import os
import sys
import tempfile
import threading

SYSTEM = ("/usr", "/etc", "/lib", "/lib64", "/opt", "/proc", "/sys", "/dev")


def allowed(root: str) -> list[str]:
    """Folders beside the repository that tools may read (see above); never one holding the repository."""
    temp = tempfile.gettempdir()
    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, temp,
               os.path.join(temp, f"pytest-of-{getpass.getuser()}"), os.path.expanduser("~/.cache"), *SYSTEM,
               *filter(None, [os.environ.get("DASHBOARD_TEST_SCRATCH")])}   # the tests' own scratch folder
    real = [os.path.realpath(f) for f in folders]
    return [f for f in real if not _inside(root, f)]


class OutsideRepository(RuntimeError):
    """A file beside the repository was opened."""


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def install(root: str) -> None:
    """Refuse, from now on in this process, to open files beside `root`; each refusal is also written to
    the file named by DASHBOARD_AUDIT_LOG (read when it happens: a test worker names its own)."""
    root = os.path.realpath(root)
    parent = os.path.dirname(root)
    exceptions = allowed(root)
    busy = threading.local()

    def refuse_outside(event: str, args: tuple) -> None:
        if event != "open" or getattr(busy, "on", False) or isinstance(args[0], int) or args[0] is None:
            return
        busy.on = True
        try:
            real = os.path.realpath(os.fsdecode(os.fspath(args[0])))
            if not _inside(real, parent) or _inside(real, root) or any(_inside(real, a) for a in exceptions):
                return
            message = f"{real} is outside the repository {root}: the project must never read it"
            log = os.environ.get("DASHBOARD_AUDIT_LOG")
            if log:
                with open(log, "a", encoding="utf-8") as fh:
                    fh.write(f"{os.getpid()} {' '.join(sys.argv)[:200]}: {message}\n")
        finally:
            busy.on = False
        raise OutsideRepository(message)

    sys.addaudithook(refuse_outside)


if os.environ.get("DASHBOARD_AUDIT_ROOT"):
    install(os.environ["DASHBOARD_AUDIT_ROOT"])

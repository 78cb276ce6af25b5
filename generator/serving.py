"""`dashboard serve` (`make serve`): a preview of the site on this computer, rebuilt when a file changes.

It builds with the preview banner, serves the output folder on 127.0.0.1 only, and watches the data, the
content, the theme and the settings file: a change rebuilds the site (in a copy, switched into place, so
the browser never sees half a site); a build that fails leaves the last good one served, and says why.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import DashboardError
from .settings import Settings

# Editors' and the tool's own scratch files: a change to one is not a change to the site.
IGNORED = ("~", ".swp", ".swx", ".tmp", "4913")


def watched(settings: Settings, settings_file: Path) -> list[Path]:
    """What a change to rebuilds for: the data, the content, a project's own theme, the settings file."""
    folders = [settings.data_dir, settings.content, settings.theme_dir, settings_file]
    return [p for p in dict.fromkeys(p.resolve() for p in folders) if p.exists()]


def relevant(path: str, output: Path) -> bool:
    """A change worth a rebuild: not the site being written, not an editor's scratch file, not a hidden
    folder (git's, the chart cache, a package's staging copy)."""
    p = Path(path).resolve()
    if p.is_relative_to(output.resolve()) or p.name.endswith(IGNORED):
        return False
    return not any(part.startswith(".") for part in p.parts[1:])


def serve(settings: Settings, settings_file: Path, port: int, build: Callable[[], int]) -> int:
    from watchfiles import watch

    _safely(build)
    output = settings.output
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving a preview on http://127.0.0.1:{port}/ ; it rebuilds when a file changes (Ctrl-C stops).",
          file=sys.stderr)
    try:
        for changes in watch(*watched(settings, settings_file), watch_filter=lambda _, path: relevant(path, output)):
            names = sorted({Path(path).name for _, path in changes})
            print(f"Changed: {', '.join(names[:5])}{' ...' if len(names) > 5 else ''}; rebuilding.", file=sys.stderr)
            if _safely(build) != 0:
                print("The rebuild failed (above): the last good preview is still served.", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


def _safely(build: Callable[[], int]) -> int:
    """A build's exit code; a mistake it raises (a settings file broken mid-edit) is said, not fatal."""
    try:
        return build()
    except DashboardError as exc:
        print(f"dashboard: {exc}", file=sys.stderr)
        return exc.exit_code

"""A built page as an accessible A4 PDF: tagged (PDF/UA-1), titled, in its language, the same bytes every time.

The renderer is WeasyPrint, not Chromium's print-to-PDF, because:
- it is a Python package, pinned in pyproject.toml, and needs only Pango from the system, which `make install`
  adds: `make html` and `make publish` (which CI runs before the tests) can make PDFs. Chromium is installed
  only by `make test`, and driving it takes a browser process per build;
- its `pdf/ua-1` variant writes a structure tree from the HTML (headings, lists, tables with their headers,
  figures with their alt text), /MarkInfo, /Lang from `<html lang>`, the title from `<title>` into /Info
  and XMP (with DisplayDocTitle), the PDF/UA identification in XMP, and bookmarks from the headings.
  Chromium (tried: 156, headless) tags as well, with /Lang and the title, but writes no XMP metadata, so
  it cannot declare PDF/UA;
- it implements CSS paged media: @page margin boxes with `string()` running headers and "Page N of M"
  (Chromium has no `string-set`), so the theme's one print stylesheet (theme/static/css/print.css) lays
  out both a printed page and its PDF;
- its output is reproducible: no dates unless we give them, an /ID that is a hash of the content, font
  subsets named from their glyphs. Chromium stamps the time of printing into every PDF (two prints of
  one page differ);
- SVG images (the charts) are drawn as vector paths and text, never rasterised.

What it cannot do: run JavaScript (the pages need none to be read), media queries with features (it
renders as `print` media, which is what the print stylesheet targets), or colour an inline SVG from the
page's stylesheet (the status icons, drawn in `currentColor` set by class, print black beside their words).

The PDF is made from the page as written into the site, with every file fetched from the site being built
(`SiteFiles`): nothing is fetched from the network, nor from outside the site. Relative links resolve
against the site's public address, so a link in the PDF goes to the published page, and the bytes do not
depend on the folder the site was built in. Fonts come from the system (fontconfig): `make install`
installs the ones the stylesheet's families resolve to, so one machine's builds give one PDF.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import io
import logging
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, time, timezone
from pathlib import Path, PurePosixPath
from types import ModuleType
from urllib.parse import unquote, urlsplit

from ..errors import BuildError
from ..urls import Urls
from .. import cache, workers
from .files import write_bytes
from .packages import write_folder_checksums

VARIANT = "pdf/ua-1"        # tagged, with the metadata PDF/UA asks for; WeasyPrint's accessible variant
# Debian's packages for what WeasyPrint loads through cffi; `make install` installs them when missing.
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
# ... and the fonts the print stylesheet's families resolve to: what a project's `make install` installs.
DEBIAN_PACKAGES = f"{SYSTEM_PACKAGES} fonts-liberation"


@dataclass(frozen=True)
class SiteFiles:
    """The site being built, as the renderer sees it: its folder, and the address it is published at.

    URLs under `public_url` are files under `root`; every other URL is refused."""

    root: Path
    public_url: str              # DASHBOARD_SITE_URL, e.g. "https://dashboard.example.gov.uk"

    def url_of(self, path: Path) -> str:
        """The public address of a file in the site."""
        return self.base + path.resolve().relative_to(self.root.resolve()).as_posix()

    @property
    def base(self) -> str:
        return self.public_url.rstrip("/") + "/"

    def file_for(self, url: str) -> Path:
        """The file in the site that `url` names, or BuildError: never the network, nor a file outside."""
        if not url.startswith(self.base):
            raise BuildError(f"A PDF is made from the site's own files only; it refused to fetch {url}.")
        relative = PurePosixPath(unquote(urlsplit(url).path[len(urlsplit(self.base).path):]))
        root = self.root.resolve()
        path = (root / relative).resolve()
        if path.is_dir():                   # a page's address is its folder
            path = Path(Urls.html(f"{path}/"))
        if not path.is_relative_to(root):
            raise BuildError(f"A PDF is made from the site's own files only; it refused {url} (outside the site).")
        if not path.is_file():
            raise BuildError(f"A PDF needs {url}, but the site has no file {path.relative_to(root)}.")
        return path


def render_pdf(html_path: Path, site: SiteFiles, dated: datetime | None = None) -> bytes:
    """The page at `html_path` (written into `site.root`) as a tagged A4 PDF.

    `dated` (the build's "now", time zone aware) becomes the PDF's creation and modification date; without
    it the PDF has none. Either way the same page gives the same bytes. Raises BuildError for a person:
    a missing system library, or a file the page needs that the site lacks."""
    weasyprint = _weasyprint()
    fetcher = _fetcher(weasyprint, site)
    try:
        with _errors_held(weasyprint) as errors:
            html = weasyprint.HTML(url=site.url_of(html_path), url_fetcher=fetcher)
            document = html.render(pdf_variant=VARIANT)
            if dated is not None:
                document.metadata.created = document.metadata.modified = _w3c(dated)
            # An /ID hashed from the content (pdf_identifier=True), never a random one.
            data = document.write_pdf(pdf_variant=VARIANT, pdf_identifier=True)
    except weasyprint.urls.FatalURLFetchingError as failed:    # our BuildError, or an unreadable file
        cause = failed.__cause__
        raise cause if isinstance(cause, BuildError) else BuildError(f"A PDF could not be made: {cause}.") from None
    if errors:      # an image without its alt text, say: the PDF would not be accessible
        raise BuildError(f"The PDF of {site.url_of(html_path)} was not made, as WeasyPrint found: {'; '.join(errors)}.")
    return data


def write_report_pdfs(out: Path, reports: list, urls: Urls, public_url: str, cache_dir: Path | None,
                      processes: int = 1) -> None:
    """Each report as an A4 PDF beside its page, made from the page as written (so once every file of the
    site is in place: the theme's stylesheets are copied last), and the report folder's SHA256SUMS. Dated by
    the report's own date, so a report gives the same bytes whenever it is built.

    The PDFs the cache lacks are printed in up to `processes` processes at once (this one among them), the
    longest page first: a long report takes seconds, and a council's reports to its councillors run to dozens."""
    site = SiteFiles(out, public_url)
    wanted = [(r.slug, out / urls.html(urls.report(r.slug)), datetime.combine(r.as_at, time(), tzinfo=timezone.utc))
              for r in reports]
    kept = {slug: _kept_pdf(page, site, dated, cache_dir) for slug, page, dated in wanted}
    missing = sorted(((slug, page, dated) for slug, page, dated in wanted if not cache.hit(kept[slug])),
                     key=lambda w: -(w[1].stat().st_size if w[1].is_file() else 0))
    # This process prints the longest while the others start (each takes a second to), then those not yet
    # started, shortest first, while they print the rest.
    pool = workers.beside(min(processes, len(missing)) - 1)
    printing = {slug: pool.submit(render_pdf, page, site, dated) for slug, page, dated in missing[1:]} if pool else {}
    try:
        for n, (slug, page, dated) in enumerate([missing[0], *reversed(missing[1:])] if pool else missing):
            if n == 0 or not pool or printing[slug].cancel():
                printing[slug] = _done(render_pdf(page, site, dated))
        for slug, page, dated in wanted:
            data = cache.found(kept[slug]) if slug not in printing else None
            if data is None:            # printed now (or gone from the cache since: a build sharing it pruned it)
                data = printing[slug].result() if slug in printing else render_pdf(page, site, dated)
                if kept[slug]:
                    cache.keep(kept[slug], data)
            write_bytes(out, urls.report_pdf(slug), data)
            write_folder_checksums(out, urls, urls.report(slug))
    finally:
        if pool:        # on an error, those not yet started are not printed for nothing
            pool.shutdown(cancel_futures=True)


def _done(data: bytes) -> Future:
    """A PDF printed in this process, as one printed in a worker arrives."""
    future = Future()
    future.set_result(data)
    return future


# The footer's "Built on" line: print.css leaves it off paper, so a new build day is not a new PDF.
BUILT_ON = re.compile(rb'<p class="built">[^<]*</p>')


def _kept_pdf(html_path: Path, site: SiteFiles, dated: datetime | None, cache_dir: Path | None) -> Path | None:
    """Where render_pdf's PDF of a page is kept: by a hash of the page, the stylesheets and images it uses, the
    date and the renderer's version (None: no cache)."""
    if cache_dir is None:
        return None
    digest = hashlib.sha256(f"{weasyprint_version()}\n{dated}\n".encode())
    text = html_path.read_bytes()
    digest.update(BUILT_ON.sub(b"", text))
    for ref in sorted(set(re.findall(rb'(?:src|href|srcset)="([^"#?]+\.(?:css|svg))"', text))):
        used = (html_path.parent / ref.decode()).resolve()
        if used.is_file() and used.is_relative_to(site.root.resolve()):
            digest.update(ref + b"\0" + used.read_bytes())
    return cache_dir / "pdf" / f"{digest.hexdigest()}.pdf"


def weasyprint_version() -> str:
    from importlib.metadata import version
    return version("weasyprint")


def _w3c(moment: datetime) -> str:
    """A date as WeasyPrint's metadata takes it (W3C's ISO 8601 profile, with its offset)."""
    if moment.tzinfo is None:
        raise ValueError("a PDF's date needs a time zone (the build's now is in UTC)")
    return moment.isoformat(timespec="seconds")


def _weasyprint() -> ModuleType:
    """WeasyPrint, imported when the first PDF is made (a build without reports never needs Pango);
    a missing library is said as what to install, not as a traceback."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):    # its own notice, which our message replaces
            import weasyprint
    except OSError as exc:      # cffi could not load a system library
        raise BuildError(f"Making PDFs needs Pango and HarfBuzz from the system ({exc}). On Debian or Ubuntu, "
                         f"`make install` installs them, or: apt-get install {SYSTEM_PACKAGES}") from None
    except ImportError as exc:
        raise BuildError(f"Making PDFs needs WeasyPrint ({exc}): run `make install`.") from None
    return weasyprint


def _fetcher(weasyprint: ModuleType, site: SiteFiles):
    """A WeasyPrint URL fetcher that serves the site's own files and refuses everything else. Any failure
    stops the render (fail_on_errors): a page whose stylesheet or chart is missing must not become a PDF
    without it."""

    class Fetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            path = site.file_for(url)
            return weasyprint.urls.URLFetcherResponse(url, body=path.read_bytes(),
                                                      headers={"Content-Type": _mime(path)})

    return Fetcher(fail_on_errors=True)


MIME = {".html": "text/html", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


def _mime(path: Path) -> str:
    return MIME.get(path.suffix, "application/octet-stream")


@contextlib.contextmanager
def _errors_held(weasyprint: ModuleType) -> Iterator[list[str]]:
    """WeasyPrint's errors, held for the caller to raise, in whichever process prints the page (a worker's log
    goes nowhere); its notes on CSS it does not implement (the theme's screen-only rules) left out."""
    logger, held = weasyprint.LOGGER, _Held()
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.ERROR)
    logger.propagate = False
    logger.addHandler(held)
    try:
        yield held.messages
    finally:
        logger.removeHandler(held)
        logger.setLevel(level)
        logger.propagate = propagate


class _Held(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

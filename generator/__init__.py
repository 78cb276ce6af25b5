"""Council Dashboard: a Pelican plugin and the `dashboard` command."""

from pelican import signals


def _generators(pelican):
    from .site.generator import DashboardGenerator
    return DashboardGenerator


def _search_index(pelican):
    """Once every page is written: index them for the search page."""
    from pathlib import Path

    from .publish.search import build_index
    from .settings import of_pelican
    from . import progress
    settings = of_pelican(pelican.settings)
    if settings.search:
        progress.step("Indexing the pages for search")
        build_index(Path(pelican.output_path), settings.urls().search_bundle())


def _report_pdfs(pelican):
    """Once every file is in place (the theme's stylesheets among them): each report as a PDF."""
    from pathlib import Path

    from .ingest.pipeline import load_or_raise
    from .publish.pdf import write_report_pdfs
    from .settings import of_pelican
    settings = of_pelican(pelican.settings)
    from . import progress
    reports = load_or_raise(settings).site.reports      # answered from memory: the build has just loaded it
    if reports:
        progress.step("Printing the reports to PDF")
    write_report_pdfs(Path(pelican.output_path), reports, settings.urls(), settings.public_url, settings.cache_dir)


def register():
    signals.get_generators.connect(_generators)
    signals.finalized.connect(_report_pdfs)
    signals.finalized.connect(_search_index)

"""Council Dashboard: a Pelican plugin and the `dashboard` command.

Pelican is imported when the plugin is registered, not with the package: a worker process importing one of
its modules (to draw charts, or to put the database together) need not load Pelican (45 MB) with it."""


def _generators(pelican):
    from .site.generator import DashboardGenerator
    return DashboardGenerator


def _finish(pelican):
    """Once every page is written: the model is let go, then each report is printed as a PDF (the theme's
    stylesheets are in place by now), then the pages are indexed for search. Pagefind takes half a gigabyte
    at a few thousand measures, and the PDFs' processes a few hundred megabytes; meanwhile this process need
    not hold the model too."""
    from pathlib import Path

    from . import cache, progress, workers
    from .ingest import pipeline
    from .publish.pdf import write_report_pdfs
    from .publish.search import build_index
    from .settings import of_pelican
    settings = of_pelican(pelican.settings)
    reports = pipeline.load_or_raise(settings).site.reports     # answered from memory: the build has just loaded it
    pipeline.forget()
    _give_back_memory()
    if reports:
        progress.step("Printing the reports to PDF")
    write_report_pdfs(Path(pelican.output_path), reports, settings.urls(), settings.public_url, settings.cache_dir,
                      workers.count(settings.chart_workers))
    del reports
    if settings.search:
        progress.step("Indexing the pages for search")
        build_index(Path(pelican.output_path), settings.urls(), settings.cache_dir,
                    record=cache.output_record(settings.cache_dir, settings.output, ".search"))


def _give_back_memory() -> None:
    """Collect what was let go, and hand the freed pages back to the system (glibc keeps them otherwise;
    elsewhere this process reuses them)."""
    import ctypes
    import gc
    import sys
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).malloc_trim(0)
        except (OSError, AttributeError):       # a C library without it (musl)
            pass


def register():
    from pelican import signals
    signals.get_generators.connect(_generators)
    signals.finalized.connect(_finish)

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
    settings = of_pelican(pelican.settings)
    if settings.search:
        build_index(Path(pelican.output_path), settings.urls().search_bundle())


def register():
    signals.get_generators.connect(_generators)
    signals.finalized.connect(_search_index)

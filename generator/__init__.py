"""Council Dashboard: a Pelican plugin and the `dashboard` command."""

from pelican import signals


def _generators(pelican):
    from .pages import DashboardGenerator
    return DashboardGenerator


def register():
    signals.get_generators.connect(_generators)

"""The loaded model and the cycle collector (generator/heap.py): the collector waits while the model is made,
never walks it while it is held, and may collect it once it is let go."""

from __future__ import annotations

import gc

import pytest

from conftest import settings_for
from generator.ingest import pipeline


@pytest.fixture
def forgotten():
    pipeline.forget()
    yield
    pipeline.forget()


def _walked(obj) -> bool:
    """Whether a collection would walk `obj` (frozen objects are in no generation)."""
    return any(o is obj for o in gc.get_objects())


def test_the_collector_waits_while_the_model_is_made(data_dir, monkeypatch, forgotten):
    seen = []
    build_site = pipeline.build_site

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return build_site(*args, **kwargs)
    monkeypatch.setattr(pipeline, "build_site", watched)
    pipeline.load(settings_for(data_dir))
    assert seen == [False]
    assert gc.isenabled()


def test_a_held_model_is_never_walked_and_is_collected_once_let_go(data_dir, forgotten):
    site = pipeline.load(settings_for(data_dir)).site
    measure = site.measures["homes"]
    assert gc.is_tracked(measure) and not _walked(measure)
    pipeline.forget()
    assert _walked(measure) and gc.get_freeze_count() == 0


def test_a_collector_turned_off_stays_off(data_dir, forgotten):
    gc.disable()
    try:
        pipeline.load(settings_for(data_dir))
        assert not gc.isenabled()
    finally:
        gc.enable()

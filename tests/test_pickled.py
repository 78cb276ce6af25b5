"""A value held as its own pickle (generator/domain/pickled.py): unpickled once, when first read."""

from __future__ import annotations

import pickle
import threading

import pytest

from generator.domain.pickled import Pickled, PickledList
from generator.errors import BuildError


def test_a_held_value_is_pickled_as_bytes_of_its_own_and_unpickled_when_first_read(monkeypatch):
    outer = pickle.dumps({"held": Pickled([1, 2, 3]), "beside": "text"})
    unpickled = []
    loads = pickle.loads
    monkeypatch.setattr(pickle, "loads", lambda data: unpickled.append(len(data)) or loads(data))
    kept = pickle.loads(outer)
    assert kept["beside"] == "text" and len(unpickled) == 1          # the outer pickle only
    assert kept["held"].value == [1, 2, 3] and len(unpickled) == 2
    assert kept["held"].value is kept["held"].value and len(unpickled) == 2
    assert kept["held"] == Pickled([1, 2, 3]) and kept["held"] != Pickled([1, 2])


def test_a_held_value_pickled_again_before_it_is_read_is_the_same_bytes():
    once = pickle.loads(pickle.dumps(Pickled({"a": [1.5, None]})))
    twice = pickle.loads(pickle.dumps(once))
    assert pickle.dumps(twice) == pickle.dumps(once) == pickle.dumps(Pickled({"a": [1.5, None]}))
    assert twice.value == {"a": [1.5, None]} and once.value == twice.value


def test_damaged_bytes_say_to_delete_the_cache():
    held = Pickled.of_pickle(pickle.dumps([1, 2, 3])[:-4])
    with pytest.raises(BuildError, match=r"could not be read .*delete the cache folder \(DASHBOARD_CACHE_PATH\)"):
        held.value


def test_threads_reading_a_held_value_at_once_share_one_copy():
    held = pickle.loads(pickle.dumps(Pickled(list(range(100_000)))))
    seen, start = [], threading.Barrier(4)

    def read():
        start.wait()
        seen.append(held.value)
    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 4 and all(v is seen[0] for v in seen)


def test_a_pickled_list_is_counted_without_being_read_and_read_once():
    kept = pickle.loads(pickle.dumps({"rows": PickledList([(1, "a"), (2, "b"), (3, "c")])}))["rows"]
    assert len(kept) == 3 and kept.unread
    assert kept[-1] == (3, "c") and not kept.unread
    assert list(kept) == [(1, "a"), (2, "b"), (3, "c")] and list(reversed(kept))[0] == (3, "c")
    assert kept == [(1, "a"), (2, "b"), (3, "c")] and kept == PickledList(kept) and kept != PickledList([])
    assert [*kept, (4, "d")][-1] == (4, "d") and kept.index((2, "b")) == 1


def test_a_pickled_list_pickled_again_unread_is_the_same_bytes_and_keeps_its_class():
    from generator.analysis.finance import Payments
    once = pickle.loads(pickle.dumps(PickledList(["x", "y"])))
    assert pickle.dumps(pickle.loads(pickle.dumps(once))) == pickle.dumps(once) and once.unread
    unknown = PickledList.of_pickle(pickle.dumps(["x"]))            # its length not given: read to count
    assert unknown.unread and len(unknown) == 1 and not unknown.unread
    payments = pickle.loads(pickle.dumps(Payments([])))
    assert type(payments) is Payments and payments.suppliers() == {} and list(payments) == []


def test_a_pickled_list_adds_to_a_list_as_a_list_would():
    kept = pickle.loads(pickle.dumps(PickledList([1, 2])))
    assert kept + [3] == [1, 2, 3] and [0] + kept == [0, 1, 2] and type(kept + kept) is list


def test_a_list_read_once_is_unpickled_for_its_caller_and_still_held_as_bytes():
    kept = pickle.loads(pickle.dumps(PickledList([1, 2])))
    first = kept.unpickled()
    assert first == [1, 2] and kept.unread and kept.unpickled() is not first
    assert list(kept) == [1, 2] and not kept.unread and kept.unpickled() is kept.unpickled()

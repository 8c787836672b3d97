"""The answer cache's own rules, without a database: its byte bound, its age limit, one
computation for concurrent misses."""

from __future__ import annotations

import threading
import time

from dashboard.response_cache import STABLE_MAX_AGE_S, Entry, ResponseCache


def entry(size: int, made_at: float | None = None) -> Entry:
    return Entry(b"x" * size, (("Content-Type", "application/json"),),
                 time.monotonic() if made_at is None else made_at)


def test_the_cache_never_holds_more_than_its_bound_and_drops_the_least_recently_used():
    cache = ResponseCache(max_bytes=10_000, ttl_s=60)
    for n in range(20):
        cache.put(("k", n), entry(1_000))
        assert cache.size_bytes <= 10_000
    assert cache.get(("k", 0)) is None  # the oldest went first
    kept = [n for n in range(20) if cache.get(("k", n)) is not None]
    assert kept == list(range(20 - len(kept), 20)) and 5 <= len(kept) <= 9
    first = kept[0]
    cache.get(("k", first))  # used again: now the most recent
    cache.put(("k", "new"), entry(1_000))
    assert cache.get(("k", first)) is not None
    assert cache.get(("k", kept[1])) is None


def test_an_answer_larger_than_a_quarter_of_the_cache_is_not_kept():
    cache = ResponseCache(max_bytes=10_000, ttl_s=60)
    cache.put(("small",), entry(1_000))
    cache.put(("big",), entry(3_000))
    assert cache.get(("big",)) is None
    assert cache.get(("small",)) is not None


def test_an_answer_older_than_its_age_limit_is_not_served_and_is_dropped():
    cache = ResponseCache(max_bytes=10_000, ttl_s=5)
    old = time.monotonic() - 6
    cache.put(("clock",), Entry(b"x", (), old, max_age_s=5))  # follows the clock
    cache.put(("stable",), Entry(b"x", (), old))  # only the data decides (version in the key)
    cache.put(("fresh",), entry(100))
    assert cache.get(("clock",)) is None
    assert cache.get(("stable",)) is not None and cache.get(("fresh",)) is not None
    assert len(cache) == 2
    cache.put(("ancient",), Entry(b"x", (), time.monotonic() - STABLE_MAX_AGE_S - 1))
    assert cache.get(("ancient",)) is None  # the safety net


def test_putting_the_same_key_again_replaces_it_without_counting_it_twice():
    cache = ResponseCache(max_bytes=10_000, ttl_s=60)
    cache.put(("k",), entry(1_000))
    cache.put(("k",), entry(2_000))
    assert len(cache) == 1 and cache.size_bytes == entry(2_000).size
    assert len(cache.get(("k",)).body) == 2_000


def test_concurrent_misses_of_one_key_have_one_leader_and_the_others_wait_for_it():
    cache = ResponseCache(max_bytes=10_000, ttl_s=60)
    leaders, waited = [], []
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        event = cache.lead(("k",))
        if event is None:
            leaders.append(1)
            time.sleep(0.2)  # computing
            cache.put(("k",), entry(10))
            cache.done(("k",))
        else:
            assert event.wait(5)
            waited.append(cache.get(("k",)) is not None)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(leaders) == 1 and waited == [True] * 7
    assert cache.lead(("k",)) is None  # the leader's turn ended: the next miss leads again

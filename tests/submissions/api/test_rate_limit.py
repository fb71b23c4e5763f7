"""The per-key rate limit (submissions.api.auth.ApiKeyRateThrottle): a sliding window over two fixed
windows' counters in the shared cache. The end-to-end 429 with Retry-After is in
test_keys_and_idempotency.py."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.cache import cache

from submissions.api.auth import ApiKeyRateThrottle

pytestmark = pytest.mark.django_db


class _Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class _Caller:
    """What the throttle reads of a request: a signed-in person (no API key)."""

    def __init__(self, pk: int) -> None:
        self.auth = None
        self.user = type("U", (), {"is_authenticated": True, "pk": pk})()


def _throttle(rate: str, clock: _Clock, monkeypatch: pytest.MonkeyPatch) -> ApiKeyRateThrottle:
    monkeypatch.setattr(ApiKeyRateThrottle, "THROTTLE_RATES", {"api_key": rate})
    monkeypatch.setattr(ApiKeyRateThrottle, "timer", clock)
    return ApiKeyRateThrottle()


def _asks(throttle: ApiKeyRateThrottle, count: int, caller: Any) -> list[bool]:
    return [throttle.allow_request(caller, None) for _ in range(count)]


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def test_the_limit_refuses_the_request_over_it_until_the_next_window(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = _Clock(6000.0)  # the start of a minute
    throttle = _throttle("2/min", clock, monkeypatch)
    caller = _Caller(1)
    assert (_asks(throttle, 3, caller), throttle.wait()) == ([True, True, False], 60.0)


def test_the_previous_window_weighs_by_the_part_of_it_still_inside_the_last_minute(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = _Clock(6000.0)
    throttle = _throttle("2/min", clock, monkeypatch)
    caller = _Caller(1)
    _asks(throttle, 2, caller)
    clock.now = 6090.0  # half-way through the next minute: the two earlier requests count as one
    halfway = _asks(throttle, 2, caller)
    wait = throttle.wait()
    clock.now = 6119.9  # almost the end of it: the earlier two weigh nearly nothing, this minute's one whole
    late = _asks(throttle, 2, caller)
    assert (halfway, wait, late) == ([True, False], 30.0, [True, False])


def test_refused_requests_are_not_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = _Clock(6000.0)
    throttle = _throttle("2/min", clock, monkeypatch)
    caller = _Caller(1)
    _asks(throttle, 10, caller)  # 2 allowed, 8 refused
    clock.now = 6060.0 + 45.0  # a quarter of that minute is still inside the window: 2 * 0.25 = 0.5
    # Had the eight refusals counted, 10 * 0.25 would already be over the limit.
    assert _asks(throttle, 3, caller) == [True, True, False]


def test_each_caller_has_its_own_count(monkeypatch: pytest.MonkeyPatch) -> None:
    throttle = _throttle("1/min", _Clock(6000.0), monkeypatch)
    assert (_asks(throttle, 2, _Caller(1)), _asks(throttle, 2, _Caller(2))) == ([True, False], [True, False])


def test_parallel_requests_are_all_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two workers that read, append and write back one list (DRF's own throttle) each lose the other's
    # request; the counter is incremented in the cache, so none is lost.
    clock = _Clock(6000.0)
    throttle = _throttle("1000/min", clock, monkeypatch)
    caller = _Caller(1)
    allowed: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        mine = _asks(ApiKeyRateThrottle(), 25, caller)
        with lock:
            allowed.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    key = throttle.get_cache_key(caller, None)  # type: ignore[arg-type]
    assert (allowed.count(True), cache.get(f"{key}:100")) == (200, 200)

"""How a worker leases a client's API allowance from the shared store (app/api/rate_limit.py):
a client seen now and then is counted request by request; a busy one in growing leases,
never more than a twentieth of its limit (64 at most), each lasting a second at most."""
from limits import parse

from app.api.rate_limit import Leases

CLIENT = "198.51.100.7"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def take(leases, item, client=CLIENT):
    """One request, as the API counts it: spent from a lease, or a new lease taken. Returns
    the size taken from the store (0 when the request was spent from a lease)."""
    if leases.spend(item, client):
        return 0
    size = leases.next_size(item, client)
    leases.taken(item, client, size)
    return size


def test_the_default_limit_is_counted_in_the_store_one_request_at_a_time():
    leases, item = Leases(Clock()), parse("30 per 2 seconds")
    assert [take(leases, item) for _ in range(50)] == [1] * 50


def test_a_busy_client_is_counted_in_leases_that_double_up_to_a_twentieth_of_the_limit():
    leases, item = Leases(Clock()), parse("200 per minute")
    taken = [take(leases, item) for _ in range(60)]
    sizes = [size for size in taken if size]
    assert sizes[:5] == [1, 2, 4, 8, 10] and set(sizes[4:]) == {10}
    assert sum(sizes) - 60 < 10  # what is taken and not yet spent is at most one lease


def test_no_lease_is_larger_than_64_however_large_the_limit():
    leases, item = Leases(Clock()), parse("10000000 per hour")
    sizes = [size for size in (take(leases, item) for _ in range(2000)) if size]
    assert max(sizes) == 64 and sizes[:7] == [1, 2, 4, 8, 16, 32, 64]


def test_a_lease_ends_after_a_second_and_a_client_that_slows_down_gets_smaller_ones():
    clock = Clock()
    leases, item = Leases(clock), parse("1000 per hour")
    assert [take(leases, item) for _ in range(15)] == [1, 2, 0, 4, 0, 0, 0, 8] + [0] * 7
    clock.now += 0.5
    assert take(leases, item) == 16  # spent up: a lease twice as large
    clock.now += 1.01
    assert not leases.spend(item, CLIENT)  # 15 unspent, but the lease has ended
    assert leases.next_size(item, CLIENT) == 8


def test_each_client_and_each_limit_has_its_own_lease():
    leases = Leases(Clock())
    per_minute, per_hour = parse("200 per minute"), parse("2000 per hour")
    for _ in range(10):
        take(leases, per_minute)
    assert take(leases, per_minute, "203.0.113.5") == 1
    assert take(leases, per_hour) == 1


def test_a_lease_taken_by_another_thread_meanwhile_is_added_to_not_dropped():
    leases, item = Leases(Clock()), parse("200 per minute")
    leases.taken(item, CLIENT, 8)  # 7 left
    leases.taken(item, CLIENT, 8)  # a second thread found none left at the same moment
    assert sum(leases.spend(item, CLIENT) for _ in range(20)) == 14


def test_while_one_thread_asks_for_a_lease_the_others_ask_for_their_own_request_only():
    leases, item = Leases(Clock()), parse("200 per minute")
    for _ in range(3):  # leases of 1 and 2, spent
        take(leases, item)
    asking = leases.next_size(item, CLIENT)  # this thread now asks the store for 4
    assert asking == 4
    assert [leases.next_size(item, CLIENT) for _ in range(3)] == [1, 1, 1]
    leases.taken(item, CLIENT, 1)  # another thread's own request, counted alone
    leases.taken(item, CLIENT, asking)
    assert sum(leases.spend(item, CLIENT) for _ in range(10)) == 3
    assert leases.next_size(item, CLIENT) == 8


def test_a_lease_the_store_refused_lets_the_next_request_ask_again():
    leases, item = Leases(Clock()), parse("200 per minute")
    for _ in range(3):
        take(leases, item)
    assert leases.next_size(item, CLIENT) == 4
    leases.refused(item, CLIENT)
    assert leases.next_size(item, CLIENT) == 4


def test_a_lease_down_to_a_quarter_is_renewed_by_one_thread_while_the_others_spend_the_rest():
    leases, item = Leases(Clock()), parse("200 per minute")
    leases.taken(item, CLIENT, 8)  # 7 left
    # The request that leaves 2 (a quarter of 8) is the one asked to renew it, and only that one.
    assert [leases.spend(item, CLIENT, renew=True) for _ in range(5)] == [True, True, True, True, Leases.RENEW]
    assert [leases.spend(item, CLIENT, renew=True) for _ in range(2)] == [True, True]
    # Spent out before the renewal came back: a thread asks for its own request only.
    assert not leases.spend(item, CLIENT, renew=True)
    assert leases.next_size(item, CLIENT) == 1
    assert leases.renewal_size(item, CLIENT) == 10  # twice 8, at most a twentieth of the limit
    leases.renewed(item, CLIENT, 10)
    assert sum(bool(leases.spend(item, CLIENT, renew=True)) for _ in range(12)) == 10


def test_a_renewal_keeps_what_is_left_of_the_lease_and_lasts_from_now():
    clock = Clock()
    leases, item = Leases(clock), parse("200 per minute")
    leases.taken(item, CLIENT, 8)
    spent = [leases.spend(item, CLIENT, renew=True) for _ in range(5)]
    assert spent[-1] == Leases.RENEW  # 2 left
    clock.now += 0.9
    leases.renewed(item, CLIENT, 10)
    clock.now += 0.9  # the first lease would have ended by now; the renewed one has not
    assert sum(bool(leases.spend(item, CLIENT)) for _ in range(15)) == 12


def test_a_renewal_the_store_refused_leaves_the_rest_to_spend_and_then_asks_as_usual():
    leases, item = Leases(Clock()), parse("200 per minute")
    leases.taken(item, CLIENT, 8)
    assert [leases.spend(item, CLIENT, renew=True) for _ in range(5)][-1] == Leases.RENEW
    leases.refused(item, CLIENT)
    # No renewal asked for again on every one of the last requests: they spend the rest.
    assert [leases.spend(item, CLIENT, renew=True) for _ in range(3)] == [True, True, False]
    assert leases.next_size(item, CLIENT) == 10  # as any spent lease: twice the last, at most a twentieth


def test_small_leases_and_the_default_limit_are_never_renewed_early():
    leases, item = Leases(Clock()), parse("30 per 2 seconds")
    leases.taken(item, CLIENT, 1)
    assert not leases.spend(item, CLIENT, renew=True)
    leases, item = Leases(Clock()), parse("200 per minute")
    leases.taken(item, CLIENT, 2)
    assert leases.spend(item, CLIENT, renew=True) is True and not leases.spend(item, CLIENT, renew=True)


def test_a_busy_client_is_counted_in_the_store_once_a_lease_with_every_request_counted():
    """Through the API's own counting (rate_limit._allowed) on the limits library's moving
    window: 1,000 requests of one client make a few dozen round trips to the store, and the
    store has counted every request let through, and at most a lease and a quarter more."""
    from limits.storage import MemoryStorage
    from limits.strategies import MovingWindowRateLimiter

    from app.api import rate_limit

    class CountingStrategy(MovingWindowRateLimiter):
        round_trips = 0

        def hit(self, item, *identifiers, cost=1):
            CountingStrategy.round_trips += 1
            return super().hit(item, *identifiers, cost=cost)

    strategy, item = CountingStrategy(MemoryStorage()), parse("10000000 per hour")
    rate_limit.leases.clear()
    try:
        assert all(rate_limit._allowed(strategy, item, CLIENT) for _ in range(1000))
    finally:
        rate_limit.leases.clear()
    counted = item.amount - strategy.get_window_stats(item, CLIENT, rate_limit.SCOPE)[1]
    assert 1000 <= counted <= 1000 + 64 + 16
    assert CountingStrategy.round_trips <= 30  # 1, 2, 4 … 64, then one renewal each 48 requests

"""Sign-in throttling that slows an attacker without locking the real user out.

Failed attempts are counted three ways over a window: for the (account, address) pair,
for the account from anywhere, and for the address against any account. Each count
earns a delay that doubles with every failure past a free allowance, up to a cap:

- the pair is where guessing happens, so it grows to a long cap (15 minutes);
- the account from anywhere is capped low (30 seconds): an attacker spread over many
  addresses slows guessing of that account, but the real user, who knows the password
  and has the second factor, waits at most that long, never 15 minutes;
- the address against any account stops one machine spraying many accounts.

No count ever locks an account: a wait ends, and a correct sign-in from another address
is never held by failures from the attacker's."""
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Rule:
    free: int  # failures allowed before any delay
    cap: timedelta

    def delay(self, failures: int) -> timedelta:
        over = failures - self.free
        if over <= 0:
            return timedelta(0)
        return min(self.cap, timedelta(seconds=2 ** min(over - 1, 20)))


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta = timedelta(hours=1)
    pair: Rule = Rule(free=3, cap=timedelta(minutes=15))
    account: Rule = Rule(free=10, cap=timedelta(seconds=30))
    address: Rule = Rule(free=30, cap=timedelta(minutes=15))

    def since(self, now: datetime) -> datetime:
        return now - self.window

    def wait(self, now: datetime, *, pair: tuple[int, datetime | None], account: tuple[int, datetime | None],
             address: tuple[int, datetime | None]) -> timedelta:
        """How long to wait before the next attempt is heard; each argument is (failures
        in the window, time of the latest one)."""
        longest = timedelta(0)
        for rule, (failures, latest) in ((self.pair, pair), (self.account, account), (self.address, address)):
            if latest is not None:
                longest = max(longest, latest + rule.delay(failures) - now)
        return longest

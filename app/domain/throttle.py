"""Sign-in throttling: how many recent failures lock an account or an address out."""
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta = timedelta(minutes=15)
    per_account: int = 5
    per_address: int = 20

    def locked(self, failures_for_account: int, failures_from_address: int) -> bool:
        return failures_for_account >= self.per_account or failures_from_address >= self.per_address

    def since(self, now: datetime) -> datetime:
        return now - self.window

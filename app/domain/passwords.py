"""The staff password policy: long enough, not a common or breached password, not built
from the person's own name or email, not a single character repeated."""
import gzip
from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 200
MIN_DISTINCT_CHARACTERS = 5
COMMON_PASSWORDS = Path(__file__).resolve().parents[2] / "data" / "passwords" / "common-passwords.txt.gz"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def _personal_words(name: str | None, email: str | None) -> set[str]:
    words = set()
    for text in (name or "", (email or "").split("@")[0]):
        for part in text.lower().replace(".", " ").replace("_", " ").replace("-", " ").split():
            if len(part) >= 3:
                words.add(part)
    if email and "@" in email:
        words.add(email.lower().split("@")[0])
    return words


def problems(password: str, *, name: str | None = None, email: str | None = None) -> list[str]:
    """What is wrong with `password`, in plain English; empty when it is acceptable."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(f"Your password must be at least {MIN_LENGTH} characters")
    elif len(password) > MAX_LENGTH:
        found.append(f"Your password must be {MAX_LENGTH} characters or fewer")
    lowered = password.lower()
    if lowered in common_passwords() or lowered.strip() in common_passwords():
        found.append("That password is one of the most common, so attackers try it first: choose another")
    elif len(set(lowered)) < MIN_DISTINCT_CHARACTERS:
        found.append("Your password repeats too few characters: use a few unrelated words")
    if any(word in lowered for word in _personal_words(name, email)):
        found.append("Your password must not contain your name or email address")
    return found

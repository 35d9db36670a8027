"""Where a "next" parameter may send someone: only to a path on this site."""
import re
from urllib.parse import urlsplit

_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")  # controls, CR/LF, tab, space, backslash


def safe_next_path(target: str | None) -> str | None:
    """`target` when it is a plain relative path on this site ("/staff/inbox/?x=1"), else None.

    Browsers drop tabs and newlines from URLs and read a backslash as a slash, so
    "/\\t/evil.example" and "/\\\\evil.example" are both "//evil.example" to them: any such
    character refuses the target rather than being cleaned out of it."""
    if not target or not target.startswith("/") or target.startswith("//") or _UNSAFE.search(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target

"""The safe subset of rich text officers may publish.

Text is cleaned when it is stored (so no script is ever stored) and again when it is
shown. Officers on a phone type plain text: blank lines make paragraphs, single line
breaks are kept, and the few tags below are allowed.
"""
import re
from functools import lru_cache

import bleach

TAGS = frozenset({"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a"})
ATTRIBUTES = {"a": ["href"]}
PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
_BLOCK = re.compile(r"^\s*<(p|ul|ol)[\s>]", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def clean(text: str | None) -> str | None:
    """Keep only the allowed tags and attributes; drop scripts and their content."""
    if text is None:
        return None
    text = text.replace("\r\n", "\n").strip()
    # bleach strips a disallowed tag but keeps its text: remove script and style bodies first.
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", "", text, flags=re.IGNORECASE | re.DOTALL)
    return bleach.clean(text, tags=TAGS, attributes=ATTRIBUTES, protocols=PROTOCOLS, strip=True,
                        strip_comments=True)


@lru_cache(maxsize=4096)
def to_html(text: str | None) -> str:
    """HTML for display: cleaned again, with paragraphs and line breaks from plain text.

    Remembered by the text itself (a pure function: an edited text is a new key, so nothing
    shown is ever stale): bleach's parse was two fifths of a full team page's render."""
    cleaned = clean(text) or ""
    blocks = []
    for block in _PARAGRAPH_BREAK.split(cleaned):
        block = block.strip()
        if not block:
            continue
        if _BLOCK.match(block):
            blocks.append(block)
        else:
            blocks.append("<p>" + block.replace("\n", "<br>\n") + "</p>")
    html = "\n".join(blocks)
    return bleach.linkify(html, parse_email=True, callbacks=[_no_follow])


def _no_follow(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs

"""The safe subset of rich text officers may publish.

Text is cleaned when it is stored (so no script is ever stored) and again when it is
shown. Officers on a phone type plain text: blank lines make paragraphs, single line
breaks are kept, and the few tags below are allowed; web and email addresses become links.

Cleaning is nh3 (the maintained successor of bleach, on the html5ever parser): it escapes
text once ("Fish & chips" is "Fish &amp; chips" in the HTML) and drops scripts with their
content. Addresses are found by linkify-it-py (the Python port of markdown-it's linkifier),
in the text between tags only, never inside a link already there.
"""
import html
import re
from functools import lru_cache

import nh3
from linkify_it import LinkifyIt

TAGS = frozenset({"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a"})
ATTRIBUTES = {"a": {"href"}}
PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
LINK_REL = "nofollow noopener"
_BLOCK = re.compile(r"^\s*<(p|ul|ol)[\s>]", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_TAG = re.compile(r"(<[^>]*>)")
_LINKIFY = LinkifyIt()


def clean(text: str | None) -> str | None:
    """Keep only the allowed tags and attributes; drop scripts and their content."""
    if text is None:
        return None
    text = text.replace("\r\n", "\n").strip()
    return _clean(text, link_rel=None)


def _clean(html, link_rel):
    return nh3.clean(html, tags=set(TAGS), attributes=ATTRIBUTES, url_schemes=set(PROTOCOLS), strip_comments=True,
                     link_rel=link_rel)


def plain_text(text: str | None) -> str | None:
    """Text with every tag (and script body) removed, as the characters a reader sees:
    "Fish &amp; chips" becomes "Fish & chips". For fields shown as plain text, escaped once
    where they are output (page, API, feed)."""
    if text is None:
        return None
    cleaned = clean(text)
    return html.unescape(nh3.clean(cleaned, tags=set(), strip_comments=True)).strip() or None


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
    return _clean(_linkify(html), link_rel=LINK_REL)


def _linkify(html):
    """Web and email addresses in the text of cleaned HTML as links, except inside links."""
    parts = []
    in_link = False
    for part in _TAG.split(html):
        if part.startswith("<"):
            name = part[1:].lstrip("/").split(None, 1)[0].rstrip(">/").lower() if len(part) > 2 else ""
            if name == "a":
                in_link = not part.startswith("</")
            parts.append(part)
        elif in_link or not part:
            parts.append(part)
        else:
            parts.append(_link_addresses(part))
    return "".join(parts)


def _link_addresses(text):
    matches = _LINKIFY.match(text) or []
    out, at = [], 0
    for match in matches:
        href = match.url.replace('"', "&quot;")
        out.append(text[at:match.index])
        out.append(f'<a href="{href}">{text[match.index:match.last_index]}</a>')
        at = match.last_index
    out.append(text[at:])
    return "".join(out)

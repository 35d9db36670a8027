"""Rich text keeps a safe subset: no script can be stored or shown."""
from app.domain.richtext import clean, to_html


def test_scripts_and_their_content_are_removed():
    assert clean("Hello <script>alert(1)</script>world") == "Hello world"


def test_event_handlers_and_javascript_links_are_removed():
    cleaned = clean('<a href="javascript:alert(1)" onclick="x()">link</a><img src=x onerror=alert(1)>')
    assert "javascript" not in cleaned and "onclick" not in cleaned and "onerror" not in cleaned and "<img" not in cleaned


def test_the_safe_subset_is_kept():
    assert clean("<strong>Bold</strong> and <em>it</em>") == "<strong>Bold</strong> and <em>it</em>"


def test_plain_text_becomes_paragraphs_and_line_breaks():
    assert to_html("One\ntwo\n\nThree") == "<p>One<br>\ntwo</p>\n<p>Three</p>"


def test_web_addresses_become_links():
    assert 'href="https://example.org"' in to_html("See https://example.org")

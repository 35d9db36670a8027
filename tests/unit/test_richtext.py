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


def test_an_ampersand_is_escaped_once():
    assert to_html("Fish & chips") == "<p>Fish &amp; chips</p>"
    assert to_html(clean("Fish & chips")) == "<p>Fish &amp; chips</p>"


def test_links_are_marked_nofollow_and_an_existing_link_is_not_linked_again():
    html = to_html('Read <a href="https://example.org/a">https://example.org/a</a> or www.example.org/b')
    assert html.count("<a ") == 2 and html.count('rel="nofollow noopener"') == 2
    assert '<a href="https://example.org/a" rel="nofollow noopener">https://example.org/a</a>' in html
    assert '<a href="http://www.example.org/b" rel="nofollow noopener">www.example.org/b</a>' in html


def test_email_addresses_and_addresses_with_query_strings_become_links():
    html = to_html("Email pact@example.org or see https://example.org/?a=1&b=2")
    assert '<a href="mailto:pact@example.org" rel="nofollow noopener">pact@example.org</a>' in html
    assert 'href="https://example.org/?a=1&amp;b=2"' in html


def test_a_linked_address_cannot_smuggle_a_script_link():
    assert "href=\"javascript" not in to_html("javascript:alert(1)//example.org")
    assert "href=\"javascript" not in to_html("<a href=\"javascript:alert(1)\">x</a> javascript:alert(1)")

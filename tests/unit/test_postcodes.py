"""Property tests for postcode normalisation."""
import re

from hypothesis import given
from hypothesis import strategies as st

from app.domain.postcodes import _INWARD, _OUTWARD, InvalidPostcode, area, normalise, try_normalise

CANONICAL = re.compile(rf"^{_OUTWARD} {_INWARD}$")
canonical_postcodes = st.from_regex(rf"\A{_OUTWARD} {_INWARD}\Z", fullmatch=True)
whitespace = st.text(alphabet=" \t\n\u00a0", max_size=3)


@st.composite
def respelt(draw):
    """A canonical postcode, and the same postcode in random case with random spacing."""
    postcode = draw(canonical_postcodes)
    compact = postcode.replace(" ", "")
    pieces = [draw(whitespace)]
    for char in compact:
        pieces.append(char.lower() if draw(st.booleans()) else char)
        pieces.append(draw(whitespace))
    return postcode, "".join(pieces)


@given(respelt())
def test_any_valid_postcode_in_any_spacing_or_case_normalises_to_canonical_form(pair):
    postcode, spelt = pair
    assert normalise(spelt) == postcode


@given(canonical_postcodes)
def test_canonical_form_is_a_fixed_point(postcode):
    assert normalise(postcode) == postcode
    assert normalise(normalise(postcode)) == postcode
    assert postcode.startswith(area(postcode))


@given(st.text())
def test_random_text_never_crashes_only_invalid_postcode(text):
    try:
        result = normalise(text)
    except InvalidPostcode:
        assert try_normalise(text) is None
    else:
        assert CANONICAL.match(result) or result == "GIR 0AA"


@given(st.one_of(st.none(), st.integers(), st.floats(), st.binary(), st.lists(st.text())))
def test_non_text_is_an_invalid_postcode(value):
    assert try_normalise(value) is None


def test_girobank_is_a_postcode():
    assert normalise("gir0aa") == "GIR 0AA"


def test_a_sector_typed_on_its_own_is_recognised():
    from app.domain.postcodes import as_sector

    assert as_sector("ls6 3") == "LS6 3" and as_sector("SW1A 1") == "SW1A 1"
    assert as_sector("LS6") is None and as_sector("LS6 3AA") is None and as_sector("Leeds") is None


def test_districts_and_sectors_sort_as_people_expect():
    from app.domain.postcodes import sort_key

    assert sorted(["LS10 1", "LS2 7", "LS1 1"], key=sort_key) == ["LS1 1", "LS2 7", "LS10 1"]

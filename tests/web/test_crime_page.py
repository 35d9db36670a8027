"""The crime page of a team: tables that say what the map says, and work without JavaScript."""
import gzip
import json
import re
from collections import Counter

import pytest
from shapely.geometry import Point, shape

from app.domain.outcomes import GROUPS, NO_SUSPECT, NOT_RECORDED
from tests.crime_data import DEMO_CRIMES, DEMO_NEIGHBOURHOODS, crime_row, csv_text, demo_rows

CITY_CENTRE = "E02006875"  # Leeds 111: the busiest Leeds neighbourhood of the extract


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["import", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)


@pytest.fixture
def leeds(app, tmp_path):
    app.config["TILE_CACHE_DIR"] = str(tmp_path / "tiles")
    app.extensions.pop("tile_cache", None)
    run(app, "neighbourhoods", str(DEMO_NEIGHBOURHOODS))
    run(app, "crimes", str(DEMO_CRIMES))
    yield app
    app.extensions.pop("tile_cache", None)
    app.config.pop("TILE_CACHE_DIR")


def busiest_neighbourhood(app):
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Crime

    with app.app_context():
        return db.session.execute(select(Crime.neighbourhood_id, func.count()).where(Crime.neighbourhood_id.is_not(None))
                                  .group_by(Crime.neighbourhood_id).order_by(func.count().desc()).limit(1)).one()


def neighbourhood_polygon(nid):
    """Straight from the GeoJSON file, in WGS84: independent of the importer's projection."""
    with gzip.open(DEMO_NEIGHBOURHOODS, "rt") as f:
        features = json.load(f)["features"]
    return next(shape(f["geometry"]) for f in features if f["properties"]["id"] == nid)


def table_counts(html, table_id, attribute):
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return {key: int(n.replace(",", "")) for key, n in re.findall(
        rf'{attribute}="([^"]+)">.*?govuk-table__cell--numeric">([\d,]+)<', table, flags=re.S)}


def test_the_table_counts_crime_by_type_as_the_csv_does(client, leeds):
    nid, total = busiest_neighbourhood(leeds)
    html = client.get(f"/teams/west-yorkshire/{nid}/crime").get_data(as_text=True)
    counts = table_counts(html, "crime-by-type", "data-category")
    assert sum(counts.values()) == total
    polygon = neighbourhood_polygon(nid)
    expected = Counter(r["Crime type"] for r in demo_rows()
                       if r["Longitude"] and polygon.contains(Point(float(r["Longitude"]), float(r["Latitude"]))))
    assert counts == dict(expected)
    assert "July 2018" in html and 'id="crime-total"' in html


def test_outcomes_are_grouped_in_plain_words(client, leeds):
    nid, _ = busiest_neighbourhood(leeds)
    html = client.get(f"/teams/west-yorkshire/{nid}/crime").get_data(as_text=True)
    outcomes = table_counts(html, "crime-outcomes", "data-outcome")
    assert outcomes[NO_SUSPECT] > 0 and outcomes[NOT_RECORDED] > 0
    assert GROUPS[NO_SUSPECT] in html
    crimes = table_counts(html, "crime-by-type", "data-category")
    assert sum(outcomes.values()) == sum(crimes.values())


def test_without_javascript_the_page_has_a_static_map_the_pickers_and_the_note(client, leeds):
    nid, _ = busiest_neighbourhood(leeds)
    html = client.get(f"/teams/west-yorkshire/{nid}/crime?category=Shoplifting").get_data(as_text=True)
    assert '<form method="get"' in html and '<option value="Shoplifting" selected>' in html
    assert "How the locations are made anonymous" in html and "883" in html
    static = re.search(r'id="crime-static-map" src="([^"]+)"', html).group(1).replace("&amp;", "&")
    image = client.get(static)
    assert image.status_code == 200 and image.mimetype == "image/png"


def test_the_previous_month_and_the_change_are_shown_when_published(client, leeds, tmp_path):
    path = tmp_path / "2018-06-west-yorkshire-street.csv"
    path.write_text(csv_text([crime_row(str(i), month="2018-06", lon="-1.54838", lat="53.798",
                                        category="Burglary") for i in range(500)]))
    run(leeds, "crimes", str(path))
    html = client.get(f"/teams/west-yorkshire/{CITY_CENTRE}/crime?month=2018-07").get_data(as_text=True)
    assert "June 2018" in html and "Change" in html and re.search(r"down [\d,]+", html)


def test_the_team_page_links_to_its_crime_page(client, leeds):
    html = client.get(f"/teams/west-yorkshire/{CITY_CENTRE}").get_data(as_text=True)
    assert f"/teams/west-yorkshire/{CITY_CENTRE}/crime" in html


def test_an_area_without_data_says_so(client, app_context):
    from tests.factories import make_area

    make_area()
    html = client.get("/teams/west-yorkshire/E02002330/crime").get_data(as_text=True)
    assert "No crime data has been published for this area yet." in html


def test_in_welsh_crime_types_and_outcomes_are_translated_and_the_data_kept(client, leeds):
    nid, _ = busiest_neighbourhood(leeds)
    html = client.get(f"/teams/west-yorkshire/{nid}/crime?lang=cy&category=Shoplifting").get_data(as_text=True)
    assert 'lang="cy"' in html and "Troseddu yn " in html and "Gorffennaf 2018" in html
    assert ">Dwyn o siopau</option>" in html and 'value="Shoplifting"' in html  # the filter keeps the data's name
    assert 'data-category="Shoplifting"' in html and ">Dwyn o siopau</th>" in html
    assert "Ni nodwyd neb a ddrwgdybir" in html and "No suspect identified" not in html


def test_every_published_crime_type_has_a_label_residents_read_in_their_language():
    from app.domain.crime_categories import CATEGORIES
    from app.models import CRIME_TYPE_LABELS

    assert {name for _slug, _label, names in CATEGORIES for name in names} == set(CRIME_TYPE_LABELS)


def test_every_map_point_is_in_the_table_page_by_page_with_its_types_and_outcomes(client, leeds):
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Crime

    with leeds.app_context():
        month = db.session.scalar(select(func.max(Crime.month)))
        points = db.session.execute(select(Crime.longitude, Crime.latitude, func.count()).where(
            Crime.neighbourhood_id == CITY_CENTRE, Crime.month == month, Crime.longitude.is_not(None))
            .group_by(Crime.location, Crime.longitude, Crime.latitude)).all()
    assert len(points) > 25  # more than one page: the table is not a top 10 any more
    seen, page_number = [], 1
    while True:
        html = client.get(f"/teams/west-yorkshire/{CITY_CENTRE}/crime?page={page_number}").get_data(as_text=True)
        table = html[html.index('id="crime-places"'):html.index("</table>", html.index('id="crime-places"'))]
        rows = re.findall(r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>\s*'
                          r'<td class="govuk-table__cell"><ul class="govuk-list portal-crime-kinds">(.*?)</ul>',
                          table, re.S)
        for count, kinds in rows:
            listed = sum(int(n) for n in re.findall(r"<li>(\d+) ×", kinds))
            assert listed == int(count)  # the types and outcomes add up to the point's crimes
        seen += [int(count) for count, _ in rows]
        if 'rel="next"' not in html:
            break
        page_number += 1
    assert sorted(seen, reverse=True) == seen
    assert sorted(seen) == sorted(n for _, _, n in points)
    assert page_number == -(-len(points) // 25)
    # a page past the end (a stale bookmark) shows the first page rather than nothing
    assert 'aria-current="page">1<' in client.get(f"/teams/west-yorkshire/{CITY_CENTRE}/crime?page=999").get_data(as_text=True)


def test_the_team_page_says_in_words_what_its_boundary_covers(client, leeds):
    import shapely

    from app.domain.areas import project_to_bng
    from tests.factories import add_postcode

    with leeds.app_context():
        for code in ("LS2 7AA", "LS1 1AA", "LS10 1AB", "LS1 4BB"):
            add_postcode(code, CITY_CENTRE)
    html = client.get(f"/teams/west-yorkshire/{CITY_CENTRE}").get_data(as_text=True)
    assert "postcode districts LS1, LS2, LS10." in html
    listed = re.findall(r'<li><a class="govuk-link" href="/teams/west-yorkshire/(\w+)">[^<]+</a> \(to the '
                        r'(north|north-east|east|south-east|south|south-west|west|north-west)\)</li>', html)
    assert len(listed) >= 3
    mine = project_to_bng([neighbourhood_polygon(CITY_CENTRE)])[0]
    for nid, _ in listed:
        assert shapely.distance(mine, project_to_bng([neighbourhood_polygon(nid)])[0]) < 25

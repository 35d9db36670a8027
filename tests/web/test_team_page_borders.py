"""The team page names the teams whose areas border it. Which areas border is worked out once
per version of the boundaries and kept, so the page must never show a stale neighbour: a
boundary import that moves an area, or staff renaming a team, shows on the next page."""
import json

import pytest

from app.extensions import db
from app.models import Team


def square(west, east, south=53.79, north=53.81):
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north],
                                                [west, south]]]}


def feature(nid, name, geometry):
    return {"type": "Feature", "geometry": geometry, "properties": {"id": nid, "name": name,
                                                                      "force": "West Yorkshire"}}


@pytest.fixture
def import_boundaries(app, app_context, tmp_path):
    def run(*features):
        path = tmp_path / "neighbourhoods.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
        result = app.test_cli_runner().invoke(args=["import", "neighbourhoods", str(path)])
        assert result.exit_code == 0, result.output + repr(result.exception)

    return run


def bordering_section(client):
    page = client.get("/teams/west-yorkshire/E02002330").get_data(as_text=True)
    return page[page.index('id="area-in-words"'):page.index('aria-labelledby="meetings"')]


def test_a_neighbour_moved_away_by_a_boundary_import_or_renamed_is_never_shown_stale(client, import_boundaries):
    import_boundaries(feature("E02002330", "Leeds 111", square(-1.56, -1.54)),
                      feature("E02002331", "Leeds 112", square(-1.54, -1.52)))
    section = bordering_section(client)
    assert "Leeds 112 Neighbourhood Policing Team" in section and "to the east" in section
    assert bordering_section(client) == section  # the second page, from what was worked out

    team = db.session.scalar(db.select(Team).where(Team.neighbourhood_id == "E02002331"))
    team.name = "Hyde Park and Woodhouse Team"  # as staff edit it
    db.session.commit()
    section = bordering_section(client)
    assert "Hyde Park and Woodhouse Team" in section and "Leeds 112 Neighbourhood" not in section

    # The boundaries are re-imported with Leeds 112 far to the east: it no longer borders.
    import_boundaries(feature("E02002330", "Leeds 111", square(-1.56, -1.54)),
                      feature("E02002331", "Leeds 112", square(-1.40, -1.38)))
    assert "Hyde Park and Woodhouse Team" not in bordering_section(client)

    # ... and back, with a third area to the north.
    import_boundaries(feature("E02002330", "Leeds 111", square(-1.56, -1.54)),
                      feature("E02002331", "Leeds 112", square(-1.54, -1.52)),
                      feature("E02002332", "Leeds 113", square(-1.56, -1.54, 53.81, 53.83)))
    section = bordering_section(client)
    assert "Hyde Park and Woodhouse Team" in section and "Leeds 113 Neighbourhood Policing Team" in section
    assert section.index("Leeds 113") < section.index("Hyde Park")  # north comes before east

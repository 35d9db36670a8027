"""Small, readable builders for test data."""
import json
from datetime import date

from app.extensions import db
from app.models import DataVersion, Force, Membership, Neighbourhood, Officer, Postcode, Station, Team

SQUARE = {"type": "Polygon", "coordinates": [[[-1.56, 53.79], [-1.53, 53.79], [-1.53, 53.81], [-1.56, 53.81], [-1.56, 53.79]]]}


def make_area(force_id="west-yorkshire", force_name="West Yorkshire", neighbourhood_id="E02002330",
              name="Leeds 111", local_authority="Leeds", geometry=SQUARE):
    force = db.session.get(Force, force_id) or Force(id=force_id, name=force_name)
    lons = [x for x, _ in geometry["coordinates"][0]]
    lats = [y for _, y in geometry["coordinates"][0]]
    neighbourhood = Neighbourhood(
        id=neighbourhood_id, force=force, name=name, local_authority=local_authority,
        boundary_geojson=json.dumps(geometry), min_lon=min(lons), max_lon=max(lons), min_lat=min(lats),
        max_lat=max(lats), centre_lat=(min(lats) + max(lats)) / 2, centre_lon=(min(lons) + max(lons)) / 2,
    )
    team = Team(neighbourhood=neighbourhood, name=f"{name} Neighbourhood Policing Team")
    db.session.add_all([force, neighbourhood, team])
    DataVersion.bump(db.session, DataVersion.BOUNDARIES)  # as the boundary import does
    db.session.commit()
    return team


def add_postcode(postcode, neighbourhood_id=None, latitude=53.8, longitude=-1.545, quality=10):
    located = latitude is not None
    db.session.add(Postcode(postcode=postcode, quality=quality, latitude=latitude, longitude=longitude,
                            easting=429000 if located else None, northing=433000 if located else None,
                            neighbourhood_id=neighbourhood_id))
    db.session.commit()


def add_officer(team, name="Sam Example", role="PCSO", started_on=date(2022, 3, 1), **fields):
    officer = Officer(force_id=team.neighbourhood.force_id, name=name, role=role, **fields)
    db.session.add(Membership(officer=officer, team=team, started_on=started_on))
    db.session.commit()
    return officer


def add_station(team, **fields):
    station = Station(force_id=team.neighbourhood.force_id, **{
        "name": "Example Police Station", "address": "1 Example Street\nLeeds", "postcode": "LS1 1AZ",
        "opening_times": {"monday": "9am to 5pm"}, "facilities": "Hearing loop", **fields})
    team.station = station
    db.session.commit()
    return station

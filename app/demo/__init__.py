"""Fictional team content for the bundled demo area, so the portal shows what it does.

Every person, station and event here is made up and says so; only the areas and
postcodes are real (cut from the national open data into data/demo/).
"""
import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from app import clock_source
from app.domain.localtime import to_utc

from app.domain.months import previous_months
from app.models import (ADMIN, OFFICER, SERGEANT, Abstraction, Consultation, ConsultationIssue, Meeting, Membership, Neighbourhood, Officer,
                        Postcode, Priority, PriorityAction, Station, Team, Update, User, VisibleTimeReturn)

FIRST = ["Sam", "Priya", "Tom", "Aisha", "Gareth", "Mei", "Dan", "Bethan", "Kwame", "Zofia", "Imran", "Ruth"]
LAST = ["Example", "Sample", "Placeholder", "Demo", "Testwell", "Madeup", "Notreal", "Fictional"]
PEN_PICTURES = [
    "Joined the police after ten years as a youth worker. Enjoys talking to residents at street briefings.",
    "Grew up in the area and knows its parks and back streets well. Leads on road safety near schools.",
    "Works closely with the council's anti-social behaviour team and local housing officers.",
    "Speaks Urdu and Punjabi and runs the monthly surgery at the community centre.",
    "Previously a response officer; now focuses on burglary prevention and crime prevention visits.",
]
PRIORITIES = [
    ("Speeding on the main road by the primary school",
     "Drivers speeding at school start and finish times. We will run speed checks with Community Speed Watch volunteers.",
     "Around the school gates and the main road between the two roundabouts"),
    ("Anti-social behaviour in the park after dark",
     "Groups gathering, littering and damaging benches in the evenings. We will patrol between 6pm and 10pm and work with the council on lighting.",
     "The park and the footpaths leading to it"),
    ("Thefts from vehicles on residential streets",
     "A rise in thefts from cars parked overnight. We will give crime prevention advice and target the times thefts happen.",
     "Streets north of the high street"),
]
OPENING = {"monday": "9am to 5pm", "tuesday": "9am to 5pm", "wednesday": "9am to 5pm",
           "thursday": "9am to 7pm", "friday": "9am to 5pm", "saturday": "10am to 1pm", "sunday": None}

DEMO_PASSWORD = "demo-password-123"  # printed by the command; the demo only ever runs locally


def demo_loaded(session):
    return session.scalar(select(func.count()).select_from(Officer)) > 0


def load_demo_content(session, today=None, teams_with_content=None, lead_postcode="LS1 1AZ", seed=2008):
    """Fill the loaded area's teams with fictional content; the team of `lead_postcode`
    comes first and gets the demo staff accounts. Returns the accounts."""
    rng = random.Random(seed)
    today = today or clock_source.today_in_london()
    teams = session.scalars(select(Team).join(Neighbourhood).order_by(Neighbourhood.id)).all()
    if not teams:
        raise RuntimeError("Load neighbourhoods first")
    lead = session.get(Postcode, lead_postcode)
    if lead is not None and lead.neighbourhood_id:
        teams.sort(key=lambda team: team.neighbourhood_id != lead.neighbourhood_id)
    force_id = teams[0].neighbourhood.force_id
    station = Station(
        force_id=force_id, name="Demo Central Police Station (fictional)",
        address="1 Example Street\nLeeds", postcode=lead_postcode,
        latitude=lead.latitude if lead else None, longitude=lead.longitude if lead else None,
        opening_times=OPENING,
        facilities="Step-free entrance, hearing loop at the front counter, accessible toilet.",
        directions="Five minutes' walk from the railway station. Buses stop outside.",
    )
    session.add(station)
    chosen = teams if teams_with_content is None else teams[:teams_with_content]
    accounts = []
    for index, team in enumerate(chosen):
        team.station = station
        team.email = f"team{index + 1}@npt.example"
        team.telephone = "101"
        team.description = ("Demo content: the people and events on this page are made up "
                            "to show what the portal does.")
        team.social_links = [{"label": "X (Twitter)", "url": f"https://x.com/example_npt_{index + 1}"}]
        members = []
        for role in ("Sergeant", "Police Constable", "Police Constable", "PCSO", "PCSO"):
            officer = Officer(force_id=force_id, name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", role=role,
                              collar_number=f"{rng.randint(1000, 9999)}",
                              pen_picture=rng.choice(PEN_PICTURES), photo_consent=False)
            started = today - timedelta(days=rng.randint(60, 2400))
            session.add(Membership(officer=officer, team=team, started_on=started))
            members.append(officer)
        session.flush()
        # Six months of officers' time away (a court day, two days' training, a week's leave),
        # each month confirmed by the sergeant: the Pledge page's visible time.
        for year, month in previous_months(today, 6):
            for officer in members[1:]:
                first = date(year, month, rng.randint(1, 7))
                session.add(Abstraction(team_id=team.id, officer_id=officer.id, reason="court", starts_on=first,
                                        ends_on=first, created_at=datetime.combine(first, time(17))))
                training = first + timedelta(days=7)
                session.add(Abstraction(team_id=team.id, officer_id=officer.id, reason="training",
                                        starts_on=training, ends_on=training + timedelta(days=1),
                                        created_at=datetime.combine(training, time(17))))
                leave = first + timedelta(days=14)
                session.add(Abstraction(team_id=team.id, officer_id=officer.id, reason="leave", starts_on=leave,
                                        ends_on=leave + timedelta(days=6), created_at=datetime.combine(leave, time(9))))
            session.add(VisibleTimeReturn(team_id=team.id, month=date(year, month, 1),
                                          created_at=datetime.combine(today, time(9))))
        # Six months of PACT meetings held (one was called off) and the next three planned.
        for months_from_now in range(-6, 3):
            day = _first_weekday(today.year, today.month + months_from_now + 1, weekday=1)
            held = day < today
            starts_at = to_utc(day, time(18, 30))
            session.add(Meeting(
                team_id=team.id, kind="pact", title="PACT meeting (fictional)",
                starts_at=starts_at, duration_minutes=90,
                # Advertised three months ahead (Pledge 7) and written up the next day.
                published_at=starts_at - timedelta(days=92),
                recorded_at=starts_at + timedelta(hours=16) if held else None,
                venue="Example Community Centre", address="22 Sample Road, Leeds",
                accessibility="Step-free access and a hearing loop.",
                purpose="Agree the team's priorities for the coming month and hear residents' concerns.",
                attendees="The team sergeant and a PCSO",
                cancelled=months_from_now == -4,
                minutes="Residents raised parking and speeding; both kept as priorities (demo minutes)." if held else None,
                attendance=rng.randint(8, 30) if held else None,
            ))
        session.add(Meeting(
            team_id=team.id, kind="street_briefing", title="Street briefing (fictional)",
            starts_at=to_utc(today + timedelta(days=9), time(11, 0)), duration_minutes=60,
            venue="Outside the library", purpose="Drop in and talk to your PCSOs.", attendees="Two PCSOs",
        ))
        for title, description, area in rng.sample(PRIORITIES, 2):
            priority = Priority(team_id=team.id, title=title, description=description, area=area,
                                how_decided="Agreed at the PACT meeting with 23 residents",
                                agreed_on=today - timedelta(days=40), review_on=today + timedelta(days=50))
            priority.actions.append(PriorityAction(
                taken_on=today - timedelta(days=6),
                created_at=datetime.combine(today - timedelta(days=6), time(15)),
                description="Patrols at the times residents told us about; two people given warnings.",
                partner="Leeds City Council (fictional example)"))
            session.add(priority)
        for months_ago in range(0, 6):
            published_on = today - timedelta(days=12 + 30 * months_ago)
            session.add(Update(team_id=team.id, published_on=published_on,
                               created_at=datetime.combine(published_on, time(11)),
                               raised_at="PACT meeting",
                               you_said="Cars are parked on the pavement near the shops, blocking wheelchairs and buggies.",
                               we_did="We left notices on 14 cars and worked with the council's parking team, "
                                      "who issued tickets."))
        if index == 0:
            # "Have your say" open for the next fortnight, on the demo team's page.
            session.add(Consultation(
                team_id=team.id, title="What should we focus on before the next PACT meeting? (demo)",
                opens_on=today - timedelta(days=3), closes_on=today + timedelta(days=14),
                created_at=datetime.combine(today - timedelta(days=3), time(9)),
                issues=[ConsultationIssue(title=title, source=source, position=i) for i, (title, source) in enumerate(
                    [("Speeding on the main road", "priority"), ("Parking on the pavement", "messages"),
                     ("Drug dealing and drug use", "messages"), ("Anti-social behaviour", "crime")])]))
            sergeant, constable = members[0], members[1]
            accounts += [
                _account(session, "sergeant@npt.example", sergeant.name, SERGEANT, force_id, sergeant),
                _account(session, "officer@npt.example", constable.name, OFFICER, force_id, constable),
            ]
    accounts.append(_account(session, "admin@npt.example", "Demo Administrator", ADMIN, force_id, None))
    session.flush()
    if len(accounts) > 1:
        _demo_messages(session, chosen[0], accounts[1], rng)
    session.commit()
    return accounts


SUBJECTS = ["Parking on the pavement", "Noise from the park at night", "Bike stolen from the shed",
            "When is the next PACT meeting?", "Speeding on the main road", "Graffiti on the bus shelter"]


def _demo_messages(session, team, officer_user, rng):
    """Three months of messages, mostly answered in time, a few late, one still waiting,
    so the inbox and the team's published figures have something true to show."""
    from app.services import inbox as service

    now = clock_source.now().replace(microsecond=0)
    waits_in_hours = [2, 5, 30, 8, 3, 20, 50, 4]  # two of every eight late, as real teams manage
    for number, days_ago in enumerate(range(88, 0, -6)):
        received = now - timedelta(days=days_ago, hours=rng.randint(0, 12))
        message = service.receive(session, team, received, name="A. Resident (fictional)",
                                  email="resident@example.invalid", phone=None, contact_by="email",
                                  subject=rng.choice(SUBJECTS), body="Demo message: made up to show the inbox.")
        wait = timedelta(hours=waits_in_hours[number % len(waits_in_hours)])
        service.reply(session, message, officer_user, "Thank you — we are looking into this (demo reply).",
                      received + wait)
        if days_ago > 7:
            service.close(session, message, officer_user, received + wait)
    service.receive(session, team, now - timedelta(hours=5), name="B. Resident (fictional)",
                    email="waiting@example.invalid", phone=None, contact_by="email",
                    subject="Cars racing on the ring road", body="Demo message waiting for a reply.")


def _account(session, email, name, role, force_id, officer):
    user = User(email=email, name=name, role=role, force_id=force_id, officer=officer)
    user.set_password(DEMO_PASSWORD)
    session.add(user)
    return user


def _first_weekday(year, month, weekday):
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)

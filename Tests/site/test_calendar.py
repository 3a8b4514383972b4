"""deadlines.ics as a calendar app reads it (Python's icalendar): it parses,
every deadline of the sample site is an all-day event on its day, and UIDs
are unique. The expected deadlines are worked out here from the sources and
readiness.json, independently of Preflight's own code."""
import datetime
import json
import pathlib
import re

import icalendar

from conftest import REPO, SUB_PATH


def calendar(path):
    return icalendar.Calendar.from_ical(path.read_bytes())


def events(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def day(text):
    return datetime.date.fromisoformat(text)


def latest_reviews():
    """Each service's latest non-draft review file, by its `date:`."""
    latest = {}
    for path in sorted((REPO / "content" / "services").glob("*/reviews/*.md")):
        text = path.read_text()
        front = text.split("---")[1]
        if re.search(r"^draft:\s*true", front, re.M):
            continue
        date = re.search(r"^date:\s*(\S+)", front, re.M).group(1)
        slug = path.parts[-3]
        if slug not in latest or (date, path.stem) > latest[slug][0]:
            latest[slug] = ((date, path.stem), text)
    return {slug: text for slug, (_, text) in latest.items()}


def test_the_site_calendar_holds_every_deadline(site_root):
    out = site_root / SUB_PATH
    cal = calendar(out / "deadlines.ics")
    all_events = list(cal.walk("VEVENT"))
    by_uid = events(cal)
    assert len(by_uid) == len(all_events), "UIDs must be unique"
    for event in all_events:
        start = event.decoded("DTSTART")
        assert isinstance(start, datetime.date) and not isinstance(start, datetime.datetime), "all-day events"
        assert event.decoded("DTEND") == start + datetime.timedelta(days=1)
    dates = {(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in all_events}
    starts = sorted(e.decoded("DTSTART") for e in all_events)

    readiness = json.loads((out / "readiness.json").read_text())
    config = (REPO / "preflight.yml").read_text()
    stale_after = int(re.search(r"^stale_after_days:\s*(\d+)", config, re.M).group(1))
    for campaign in readiness["campaigns"]:
        assert ("Campaign deadline: " + campaign["title"], day(campaign["deadline"])) in dates
    for service in readiness["services"]:
        if service["last_review"]:
            due = day(service["last_review"]) + datetime.timedelta(days=stale_after)
            assert any(s.startswith("Re-review due: ") and d == due for s, d in dates), service["slug"]
        for waiver in service["waivers"]:
            if waiver["until"]:
                assert day(waiver["until"]) in starts, (service["slug"], waiver)
    items = 0
    for slug, text in latest_reviews().items():
        section = re.split(r"^#+\s*action items\s*$", text, flags=re.M | re.I)
        if len(section) < 2:
            continue
        for due in re.findall(r"^\s*[-*] \[ \] .*\bdue:(\d{4}-\d\d-\d\d)", section[1], re.M):
            items += 1
            assert any(s.startswith("Action item due: ") and d == day(due) for s, d in dates), (slug, due)
    assert items > 0 and readiness["campaigns"], "the sample site has action items and campaigns"


def parents():
    """Each group's parent, from the sample's catalog (catalog/org.yaml): a
    team's calendar holds its sub-teams' services too."""
    result, name = {}, None
    for line in (REPO / "catalog" / "org.yaml").read_text().splitlines():
        if line.startswith("  name: "):
            name = line.split(": ", 1)[1].strip()
        elif line.startswith("  parent: ") and name:
            result[name] = line.split(": ", 1)[1].strip().split("/")[-1].split(":")[-1]
    return result


def test_team_calendars_hold_their_services_and_their_action_items_only(site_root):
    """A team's calendar: its services' dates (its sub-teams' included), the
    campaigns they are in, and action items of other services assigned to it
    (`@team`)."""
    out = site_root / SUB_PATH
    readiness = json.loads((out / "readiness.json").read_text())
    site = events(calendar(out / "deadlines.ics"))
    parent = parents()

    def within(owner, team):
        while owner:
            if owner == team:
                return True
            owner = parent.get(owner)
        return False

    owners = {s["slug"]: s["owner"] for s in readiness["services"]}
    teams = sorted(p.parent.name for p in (out / "teams").glob("*/deadlines.ics"))
    assert teams, "every team has a calendar"
    assigned = 0
    for team in teams:
        own = events(calendar(out / "teams" / team / "deadlines.ics"))
        for uid, event in own.items():
            assert uid in site, uid
            kind, rest = uid.split("@")[0].split(".", 1)
            if kind == "campaign":
                continue
            slug = rest.split(".")[0]
            if owners[slug] and within(re.sub(r"[^a-z0-9]+", "-", owners[slug].lower()).strip("-"), team):
                continue
            assert kind == "action", uid
            assert f"owned by {team}" in str(event.get("DESCRIPTION")).replace("\n", " ").replace("\r", ""), event
            assigned += 1
    assert assigned, "the sample assigns action items across teams"
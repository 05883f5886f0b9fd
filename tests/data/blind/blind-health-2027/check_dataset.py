#!/usr/bin/env python3
"""Independent checks of blind-health-2027 (run with a Python that has icalendar 7)."""
import datetime as dt
import json
import os
import re
import sys
import tomllib
from collections import defaultdict
from zoneinfo import ZoneInfo

import icalendar
from dateutil.rrule import rrulestr

HERE = os.path.dirname(os.path.abspath(__file__))
UTC = dt.timezone.utc
ZONES = {"paris": ZoneInfo("Europe/Paris"), "san-francisco": ZoneInfo("America/Los_Angeles")}
errors = []


def err(*a):
    errors.append(" ".join(str(x) for x in a))


def z(a):
    return a.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


truth = json.load(open(os.path.join(HERE, "truth.json"), encoding="utf-8"))
conf = tomllib.load(open(os.path.join(HERE, "feeds.toml"), "rb"))
order = {f["id"]: i for i, f in enumerate(conf["feeds"])}
assert [f["id"] for f in conf["feeds"]] == [f["id"] for f in truth["feeds"]]
assert set(conf["cities"]) == {"paris", "san-francisco"}

# ---- parse feeds
vevents = defaultdict(list)  # (feed, uid) -> [component]
xwr = {}
total = 0
for f in conf["feeds"]:
    raw = open(os.path.join(HERE, f["url"]), "rb").read()
    n_text = raw.count(b"BEGIN:VEVENT")
    cal = icalendar.Calendar.from_ical(raw)
    xwr[f["id"]] = str(cal.get("X-WR-TIMEZONE")) if cal.get("X-WR-TIMEZONE") else None
    evs = list(cal.walk("VEVENT"))
    if len(evs) != n_text:
        err("count mismatch", f["id"], len(evs), n_text)
    for ev in evs:
        if ev.errors:
            err("parse errors", f["id"], ev.get("UID"), ev.errors)
        vevents[(f["id"], str(ev["UID"]))].append(ev)
    total += len(evs)
    # floating feeds must not carry X-WR-TIMEZONE (truth assumes event-city zone)
print("VEVENTs parsed:", total)

cluster_of = {}
for c in truth["clusters"]:
    for fid, uid, rid in c["members"]:
        cluster_of.setdefault((fid, uid), c["id"])
        if cluster_of[(fid, uid)] != c["id"]:
            err("unit in two clusters", fid, uid)
CL = {c["id"]: c for c in truth["clusters"]}


def to_utc(v, feed, city):
    if isinstance(v, dt.datetime):
        if v.tzinfo is None:
            zone = ZoneInfo(xwr[feed]) if xwr[feed] else ZONES[city]
            return v.replace(tzinfo=zone).astimezone(UTC)
        return v.astimezone(UTC)
    return v


# ---- membership: every VEVENT exactly once
matched = 0
for c in truth["clusters"]:
    units = defaultdict(list)
    for fid, uid, rid in c["members"]:
        units[(fid, uid)].append(rid)
    for (fid, uid), rids in units.items():
        evs = vevents.get((fid, uid), [])
        plain = [e for e in evs if e.get("RECURRENCE-ID") is None]
        ovr = {z(to_utc(e["RECURRENCE-ID"].dt, fid, c["city"])): e for e in evs if e.get("RECURRENCE-ID") is not None}
        if len(plain) != 1:
            err("unit has %d plain VEVENTs" % len(plain), c["id"], fid, uid)
        if None in rids:
            want = sorted(r for r in rids if r is not None)
            if sorted(ovr) != want:
                err("overrides differ", c["id"], fid, sorted(ovr), want)
        else:
            if len(rids) != 1 or ovr:
                err("instance unit malformed", c["id"], fid, uid, rids)
        matched += len(evs)
if matched != total:
    err("matched", matched, "of", total)
all_units = set(vevents)
if all_units - set(cluster_of):
    err("VEVENT units not in truth", sorted(all_units - set(cluster_of))[:5])

# ---- starts
for c in truth["clusters"]:
    city = c["city"]
    rec = c.get("recurrence")
    units = defaultdict(list)
    for fid, uid, rid in c["members"]:
        units[(fid, uid)].append(rid)
    if rec:
        occ = rec["occurrences_utc"]
        if c["start_utc"] != occ[0]:
            err("series start != first occurrence", c["id"])
        ovmap = {o["recurrence_id"]: o for o in rec["overrides"]}
        for (fid, uid), rids in units.items():
            evs = vevents[(fid, uid)]
            plain = [e for e in evs if e.get("RECURRENCE-ID") is None][0]
            s = plain["DTSTART"].dt
            if plain.get("RRULE") is not None:
                rule = plain["RRULE"].to_ical().decode()
                floating = s.tzinfo is None
                if floating:
                    rule = re.sub(r"UNTIL=(\d{8}T\d{6})Z", r"UNTIL=\1", rule)
                r = rrulestr(rule, dtstart=s)
                got = [to_utc(x, fid, city) for x in r]
                exd = set()
                for ex in (plain.get("EXDATE") if isinstance(plain.get("EXDATE"), list) else
                           [plain.get("EXDATE")] if plain.get("EXDATE") else []):
                    for d in ex.dts:
                        exd.add(z(to_utc(d.dt, fid, city)))
                got = [z(x) for x in got if z(x) not in exd]
                if None in rids and len(rids) > 1 or all(r_ is None for r_ in rids) and got == occ:
                    pass
                if got != occ:
                    if set(occ) <= set(got):
                        pass  # a copy without the EXDATEs
                    else:
                        err("series occurrences differ", c["id"], fid, got, occ)
                for e in evs:
                    if e.get("RECURRENCE-ID") is None:
                        continue
                    rid = z(to_utc(e["RECURRENCE-ID"].dt, fid, city))
                    o = ovmap.get(rid)
                    if o is None:
                        err("override not in truth", c["id"], rid)
                        continue
                    st = z(to_utc(e["DTSTART"].dt, fid, city))
                    if st != o["start_utc"]:
                        err("override start", c["id"], rid, st, o["start_utc"])
                    if (str(e.get("STATUS", "")).upper() == "CANCELLED") != o["cancelled"]:
                        err("override status", c["id"], rid)
            else:
                rid = rids[0]
                exp = ovmap[rid]["start_utc"] if rid in ovmap else rid
                st = z(to_utc(s, fid, city))
                if st != exp:
                    err("instance start", c["id"], fid, st, exp)
                if rid not in occ:
                    err("instance rid not an occurrence", c["id"], rid)
    else:
        srcs = []
        for (fid, uid) in units:
            e = [x for x in vevents[(fid, uid)]][0]
            srcs.append((order[fid], to_utc(e["DTSTART"].dt, fid, city)))
        srcs.sort(key=lambda x: x[0])
        timed = [v for _, v in srcs if isinstance(v, dt.datetime)]
        if timed:
            if c["start_utc"] != z(timed[0]) or c["all_day"]:
                err("start", c["id"], z(timed[0]), c["start_utc"])
            if c["start_date"] != timed[0].astimezone(ZONES[city]).date().isoformat():
                err("start_date", c["id"])
        else:
            if c["start_utc"] is not None or c["start_date"] != srcs[0][1].isoformat() or not c["all_day"]:
                err("all-day start", c["id"])
    canc = any(str(e.get("STATUS", "")).upper() == "CANCELLED"
               for (fid, uid) in units for e in vevents[(fid, uid)] if e.get("RECURRENCE-ID") is None)
    if canc != c["cancelled"]:
        err("cancelled flag", c["id"])

for a, b, why in truth["links"]:
    if a not in CL or b not in CL or CL[a]["city"] == CL[b]["city"]:
        err("bad link", a, b)

print("clusters", len(truth["clusters"]), "links", len(truth["links"]))
if errors:
    print("\n".join(errors))
    sys.exit(1)
print("OK: every VEVENT is in exactly one cluster; starts, occurrences, overrides and cancellations match the feeds")

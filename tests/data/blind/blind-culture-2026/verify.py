"""Independent checks of the generated dataset (parse every feed with icalendar)."""
import datetime as dt, json, os, re, sys
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo
import icalendar
from dateutil.rrule import rrulestr

UTC = dt.timezone.utc
HERE = os.path.dirname(os.path.abspath(__file__))
truth = json.load(open(os.path.join(HERE, "truth.json")))
CITYZ = {"paris": ZoneInfo("Europe/Paris"), "san-francisco": ZoneInfo("America/Los_Angeles")}
WIN = {"Romance Standard Time": "Europe/Paris", "Pacific Standard Time": "America/Los_Angeles"}
errors = []
def err(*a):
    errors.append(" ".join(str(x) for x in a))

unit_cluster = {}
for c in truth["clusters"]:
    for f, u, r in c["members"]:
        unit_cluster.setdefault((f, u), c["id"])
        if unit_cluster[(f, u)] != c["id"]:
            err("unit in two clusters", f, u)
cl = {c["id"]: c for c in truth["clusters"]}

def to_utc(v, raw_tzid, xwr, city):
    if isinstance(v, dt.datetime):
        if v.tzinfo is None:
            z = ZoneInfo(xwr) if xwr else CITYZ[city]
            return v.replace(tzinfo=z).astimezone(UTC)
        # icalendar resolves TZIDs; double-check Windows names via our own mapping
        if raw_tzid in WIN:
            v2 = v.replace(tzinfo=None).replace(tzinfo=ZoneInfo(WIN[raw_tzid]))
            if v2.astimezone(UTC) != v.astimezone(UTC):
                err("windows tz mismatch", raw_tzid, v)
            return v2.astimezone(UTC)
        return v.astimezone(UTC)
    return v

vevents = []
total = 0
for f in truth["feeds"]:
    data = open(os.path.join(HERE, f["file"]), "rb").read()
    n_begin = data.count(b"BEGIN:VEVENT")
    total += n_begin
    crlf = data.count(b"\r\n"); lf = data.count(b"\n")
    cal = icalendar.Calendar.from_ical(data)
    xwr = str(cal.get("X-WR-TIMEZONE")) if cal.get("X-WR-TIMEZONE") else None
    evs = list(cal.walk("VEVENT"))
    if len(evs) != n_begin:
        err("count mismatch", f["id"])
    for line in data.decode("utf-8").replace("\r\n", "\n").split("\n"):
        if len(line.encode()) > 75:
            err("long line", f["id"], line[:40])
    print("%-18s %3d VEVENTs  %s  xwr=%s" % (f["id"], n_begin, "CRLF" if crlf == lf else ("LF" if crlf == 0 else "MIXED"), xwr))
    for e in evs:
        uid = str(e["UID"])
        key = (f["id"], uid)
        if key not in unit_cluster:
            err("VEVENT not in truth", key); continue
        c = cl[unit_cluster[key]]
        p = e["DTSTART"]
        tzid = p.params.get("TZID")
        s = to_utc(p.dt, tzid, xwr, c["city"])
        rid = None
        if e.get("RECURRENCE-ID") is not None:
            rp = e["RECURRENCE-ID"]
            rid = to_utc(rp.dt, rp.params.get("TZID"), xwr, c["city"])
        vevents.append(dict(feed=f["id"], uid=uid, cluster=c["id"], start=s, rid=rid, ev=e, xwr=xwr,
                            status=str(e.get("STATUS", "")), rrule=e.get("RRULE"), tzid=tzid,
                            summary=str(e.get("SUMMARY"))))

print("total VEVENTs", total)
# membership: each truth member exactly once
seen = Counter()
fmt = lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
for v in vevents:
    seen[(v["feed"], v["uid"], fmt(v["rid"]) if v["rid"] else None)] += 1
for c in truth["clusters"]:
    for f, u, r in c["members"]:
        k1 = (f, u, r)
        if seen.get(k1) == 1:
            continue
        if r is not None and seen.get((f, u, None)) == 1 and sum(1 for m in c["members"] if (m[0], m[1]) == (f, u)) == 1:
            continue  # stand-alone instance
        err("member not found exactly once", c["id"], k1, seen.get(k1))
n_members = sum(len(c["members"]) for c in truth["clusters"])
if n_members != total:
    err("members", n_members, "!= VEVENTs", total)

order = {f["id"]: i for i, f in enumerate(truth["feeds"])}
by_cluster = defaultdict(list)
for v in vevents:
    by_cluster[v["cluster"]].append(v)
P = lambda s: dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
for cid, vs in by_cluster.items():
    c = cl[cid]
    rec = c.get("recurrence")
    if rec:
        occ = [P(x) for x in rec["occurrences_utc"]]
        ovr = {P(o["recurrence_id"]): o for o in rec["overrides"]}
        masters = [v for v in vs if v["rrule"] is not None]
        for m in masters:
            if m["start"] != P(c["start_utc"]):
                err("series master start", cid, m["feed"], m["start"], c["start_utc"])
            e = m["ev"]
            dts = e["DTSTART"].dt
            if dts.tzinfo is None:
                dts_l = dts
                rule = rrulestr(e["RRULE"].to_ical().decode(), dtstart=dts_l)
                z = ZoneInfo(m["xwr"]) if m["xwr"] else CITYZ[c["city"]]
                got = [x.replace(tzinfo=z).astimezone(UTC) for x in rule]
                exd = []
                for ex in (e.get("EXDATE") if isinstance(e.get("EXDATE"), list) else [e.get("EXDATE")] if e.get("EXDATE") else []):
                    exd += [d.dt.replace(tzinfo=z).astimezone(UTC) for d in ex.dts]
            else:
                z = dts.tzinfo
                if m["tzid"] in WIN:
                    z = ZoneInfo(WIN[m["tzid"]])
                rule = rrulestr(e["RRULE"].to_ical().decode(), dtstart=dts.replace(tzinfo=z))
                got = [x.astimezone(UTC) for x in rule]
                exd = []
                for ex in (e.get("EXDATE") if isinstance(e.get("EXDATE"), list) else [e.get("EXDATE")] if e.get("EXDATE") else []):
                    exd += [d.dt.replace(tzinfo=None).replace(tzinfo=z).astimezone(UTC) for d in ex.dts]
            got = [g for g in got if g not in exd]
            if got != occ:
                err("occurrences differ", cid, m["feed"], [fmt(g) for g in got], rec["occurrences_utc"])
        for v in vs:
            if v["rrule"] is not None:
                continue
            if v["rid"] is not None:
                if v["rid"] not in occ:
                    err("override rid not an occurrence", cid, v["rid"])
                o = ovr.get(v["rid"])
                if not o:
                    err("override missing in truth", cid, v["rid"])
                elif P(o["start_utc"]) != v["start"] or o["cancelled"] != (v["status"] == "CANCELLED"):
                    err("override start/cancel", cid, v["start"], o)
            else:
                r = next(m[2] for m in c["members"] if (m[0], m[1]) == (v["feed"], v["uid"]))
                exp = P(ovr[P(r)]["start_utc"]) if P(r) in ovr else P(r)
                if v["start"] != exp:
                    err("instance start", cid, v["feed"], v["start"], exp)
    else:
        timed = [v for v in vs if isinstance(v["start"], dt.datetime)]
        if timed:
            timed.sort(key=lambda v: order[v["feed"]])
            if fmt(timed[0]["start"]) != c["start_utc"]:
                err("start_utc", cid, fmt(timed[0]["start"]), c["start_utc"])
            for v in timed[1:]:
                dmin = (v["start"] - timed[0]["start"]).total_seconds() / 60
                if dmin and "start-off-by-minutes" not in c["tags"]:
                    err("unexplained offset", cid, v["feed"], dmin)
                if abs(dmin) > 45:
                    err("big offset", cid, v["feed"], dmin)
            loc = timed[0]["start"].astimezone(CITYZ[c["city"]]).date().isoformat()
            if loc != c["start_date"]:
                err("start_date", cid)
            if c["all_day"]:
                err("all_day flag", cid)
        else:
            if c["start_utc"] is not None or not c["all_day"]:
                err("all-day cluster", cid)
            if any(v["start"].isoformat() != c["start_date"] for v in vs):
                err("all-day date", cid, [v["start"] for v in vs])
    canc = any(v["status"] == "CANCELLED" and v["rid"] is None for v in vs)
    if canc != c["cancelled"]:
        err("cancelled flag", cid)

# links
ids = set(cl)
for a, b, why in truth["links"]:
    if a not in ids or b not in ids or cl[a]["city"] == cl[b]["city"]:
        err("bad link", a, b)
# reused uids: same uid, different clusters
uidc = defaultdict(set)
for v in vevents:
    uidc[v["uid"]].add(v["cluster"])
print("UIDs used by >1 cluster:", sum(1 for u, s in uidc.items() if len(s) > 1))
print("errors:", len(errors))
for e in errors[:60]:
    print("  ", e)
sys.exit(1 if errors else 0)

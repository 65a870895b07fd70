#!/usr/bin/env python3
"""Generates apscheduler_vectors.json: fire times, parse results and date
readings computed by the real APScheduler, which the Go tests replay.

Run it with APScheduler 3.11.x importable (StackStorm pins 3.11; Debian's
python3-apscheduler is 3.9, which handles DST differently), plus tzlocal
and python-dateutil:

    PYTHONPATH=/path/to/apscheduler-3.x/src APSCHEDULER_VERSION=3.11.2 \
        python3 gen_vectors.py > apscheduler_vectors.json

The output depends only on the seed below, APScheduler and the tz database.
"""

import json
import os
import random
import signal
import sys
from datetime import datetime, timedelta, timezone

import apscheduler
import dateutil.parser
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

UTC = timezone.utc
FIELDS = ["year", "month", "day", "week", "day_of_week", "hour", "minute", "second"]


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


signal.signal(signal.SIGALRM, _alarm)


def iso(dt):
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ").replace(".000000Z", "Z")


def fires(params, start, n):
    """First fire at or after start, then each next one, as the scheduler
    asks for them (previous fire time = now)."""
    kw = dict(params)
    tz = kw.pop("timezone", "UTC")
    trig = CronTrigger(timezone=tz, **kw)
    out = []
    prev, now = None, start
    signal.alarm(5)
    try:
        for _ in range(n):
            nxt = trig.get_next_fire_time(prev, now)
            if nxt is None:
                break
            out.append(iso(nxt))
            prev = now = nxt
    except Timeout:
        return None
    except OverflowError:
        pass  # APScheduler fails past 9999-12-31; no more fire times
    finally:
        signal.alarm(0)
    return out


ZONES = [
    "UTC",
    "America/Los_Angeles",
    "America/New_York",
    "Europe/Berlin",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Pacific/Chatham",
    "America/Sao_Paulo",
]

# (zone, UTC instant) of DST transitions to start searches near.
TRANSITIONS = [
    ("America/Los_Angeles", datetime(2024, 3, 10, 10, tzinfo=UTC)),
    ("America/Los_Angeles", datetime(2024, 11, 3, 9, tzinfo=UTC)),
    ("America/New_York", datetime(2024, 3, 10, 7, tzinfo=UTC)),
    ("America/New_York", datetime(2024, 11, 3, 6, tzinfo=UTC)),
    ("Europe/Berlin", datetime(2024, 3, 31, 1, tzinfo=UTC)),
    ("Europe/Berlin", datetime(2024, 10, 27, 1, tzinfo=UTC)),
    ("Europe/London", datetime(2025, 3, 30, 1, tzinfo=UTC)),
    ("Australia/Sydney", datetime(2024, 4, 6, 16, tzinfo=UTC)),
    ("Australia/Lord_Howe", datetime(2024, 4, 6, 15, tzinfo=UTC)),
    ("Australia/Lord_Howe", datetime(2024, 10, 5, 15, 30, tzinfo=UTC)),
    ("America/Santiago", datetime(2024, 9, 8, 4, tzinfo=UTC)),
    ("America/Santiago", datetime(2024, 4, 7, 3, tzinfo=UTC)),
    ("Pacific/Chatham", datetime(2024, 9, 28, 14, tzinfo=UTC)),
]

NAMED = [
    # name, params, start (UTC), count
    ("every 5 seconds", {"second": "*/5"}, "2024-01-01T00:00:03Z", 6),
    ("every 5 seconds fractional start", {"second": "*/5"}, "2024-01-01T00:00:04.5Z", 4),
    ("whole-second start is inclusive", {"second": "*/5"}, "2024-01-01T00:00:05Z", 3),
    ("no fields: every second", {}, "2024-01-01T00:00:58Z", 4),
    ("minute 0-30/10", {"minute": "0-30/10"}, "2024-01-01T00:00:00Z", 5),
    ("hour only defaults minute and second", {"hour": 9}, "2024-01-01T10:00:00Z", 3),
    ("weekdays at 9 LA", {"day_of_week": "mon-fri", "hour": 9, "timezone": "America/Los_Angeles"}, "2024-01-05T00:00:00Z", 6),
    ("dow numbers mon=0", {"day_of_week": "0,6"}, "2024-01-01T00:00:00Z", 4),
    ("dow sun", {"day_of_week": "sun", "hour": 12}, "2024-01-01T00:00:00Z", 3),
    ("last day of month", {"day": "last"}, "2023-12-15T00:00:00Z", 14),
    ("last day of month 23:59:59", {"day": "last", "hour": 23, "minute": 59, "second": 59}, "2024-01-31T23:59:59Z", 4),
    ("2nd fri", {"day": "2nd fri"}, "2024-01-01T00:00:00Z", 6),
    ("last fri", {"day": "last fri"}, "2024-01-01T00:00:00Z", 6),
    ("5th mon", {"day": "5th mon"}, "2024-01-01T00:00:00Z", 5),
    ("1st sun and 15", {"day": "1st sun,15"}, "2024-01-01T00:00:00Z", 6),
    ("feb 29 leap years", {"month": 2, "day": 29}, "2023-06-01T00:00:00Z", 4),
    ("feb 29 from 2096", {"month": 2, "day": 29}, "2096-03-01T00:00:00Z", 2),
    ("day 31", {"day": 31}, "2024-01-01T00:00:00Z", 8),
    ("day 30 month 2 never", {"month": 2, "day": 30}, "2024-01-01T00:00:00Z", 2),
    ("iso week 1", {"week": 1}, "2024-06-01T00:00:00Z", 9),
    ("iso week 53", {"week": 53}, "2019-01-01T00:00:00Z", 9),
    ("every 2nd week monday", {"week": "*/2", "day_of_week": "mon"}, "2024-01-01T00:00:00Z", 6),
    ("years 2025-2027 jan 1", {"year": "2025-2027", "month": "jan", "day": 1}, "2024-06-01T00:00:00Z", 4),
    ("year in the past", {"year": 2020}, "2024-06-01T00:00:00Z", 2),
    ("year 9999 end", {"year": 9999, "month": 12, "day": 31, "hour": 23, "minute": 59, "second": "58-59"}, "9999-12-31T23:59:57Z", 3),
    ("month range with ignored step", {"month": "feb-apr/2"}, "2024-01-01T00:00:00Z", 4),
    ("day 5/10", {"day": "5/10"}, "2024-01-01T00:00:00Z", 6),
    ("hour 0-0/5 quirk", {"hour": "0-0/5"}, "2024-01-01T00:00:00Z", 3),
    ("day 1,15,last", {"day": "1,15,last"}, "2024-02-01T00:00:00Z", 6),
    ("Kolkata 09:30", {"hour": 9, "minute": 30, "timezone": "Asia/Kolkata"}, "2024-01-01T00:00:00Z", 3),
    ("LA every 30 min spring forward", {"minute": "*/30", "timezone": "America/Los_Angeles"}, "2024-03-10T08:00:00Z", 8),
    ("LA every 30 min fall back", {"minute": "*/30", "timezone": "America/Los_Angeles"}, "2024-11-03T07:00:00Z", 8),
    ("LA 02:30 spring forward", {"hour": 2, "minute": 30, "timezone": "America/Los_Angeles"}, "2024-03-09T00:00:00Z", 4),
    ("LA 02:30 search starting inside the gap", {"hour": 2, "minute": 30, "timezone": "America/Los_Angeles"}, "2024-03-10T10:10:00Z", 2),
    ("LA 01:30 fall back", {"hour": 1, "minute": 30, "timezone": "America/Los_Angeles"}, "2024-11-02T00:00:00Z", 4),
    ("LA 01:30 from second occurrence", {"hour": 1, "minute": 30, "timezone": "America/Los_Angeles"}, "2024-11-03T09:10:00Z", 2),
    ("LA hourly fall back", {"minute": 0, "timezone": "America/Los_Angeles"}, "2024-11-03T06:30:00Z", 5),
    ("LA every second across spring forward", {"second": "*", "timezone": "America/Los_Angeles"}, "2024-03-10T09:59:58Z", 4),
    ("LA every second across fall back", {"second": "*", "timezone": "America/Los_Angeles"}, "2024-11-03T08:59:58Z", 4),
    ("LA hour 2 minute */20 spring forward", {"hour": 2, "minute": "*/20", "timezone": "America/Los_Angeles"}, "2024-03-10T08:00:00Z", 3),
    ("LA daily 03:00 spring forward", {"hour": 3, "timezone": "America/Los_Angeles"}, "2024-03-09T00:00:00Z", 3),
    ("LA daily 00:00 spring forward", {"hour": 0, "minute": 0, "timezone": "America/Los_Angeles"}, "2024-03-09T00:00:00Z", 4),
    ("LA daily 00:30 spring forward", {"hour": 0, "minute": 30, "timezone": "America/Los_Angeles"}, "2024-03-09T00:00:00Z", 4),
    ("LA daily 01:00 spring forward", {"hour": 1, "timezone": "America/Los_Angeles"}, "2024-03-09T00:00:00Z", 4),
    ("LA daily 00:00 fall back", {"hour": 0, "timezone": "America/Los_Angeles"}, "2024-11-02T00:00:00Z", 4),
    ("Berlin 02:30 spring forward", {"hour": 2, "minute": 30, "timezone": "Europe/Berlin"}, "2024-03-30T00:00:00Z", 4),
    ("Berlin 02:30 fall back", {"hour": 2, "minute": 30, "timezone": "Europe/Berlin"}, "2024-10-26T00:00:00Z", 4),
    ("Berlin every 15 min spring forward", {"minute": "*/15", "timezone": "Europe/Berlin"}, "2024-03-31T00:30:00Z", 6),
    ("Berlin every 15 min fall back", {"minute": "*/15", "timezone": "Europe/Berlin"}, "2024-10-27T00:30:00Z", 10),
    ("Berlin daily midnight spring forward", {"hour": 0, "timezone": "Europe/Berlin"}, "2024-03-29T00:00:00Z", 4),
    ("Berlin last sun of march 02:30", {"month": 3, "day": "last sun", "hour": 2, "minute": 30, "timezone": "Europe/Berlin"}, "2024-01-01T00:00:00Z", 3),
    ("New York 9:00 BL-54", {"hour": 9, "minute": 0, "second": 0, "timezone": "America/New_York"}, "2024-03-08T00:00:00Z", 5),
    ("Santiago midnight spring forward", {"hour": 0, "timezone": "America/Santiago"}, "2024-09-06T00:00:00Z", 4),
    ("Santiago hourly spring forward", {"minute": 0, "timezone": "America/Santiago"}, "2024-09-08T02:30:00Z", 4),
    ("Santiago midnight fall back", {"hour": 0, "timezone": "America/Santiago"}, "2024-04-05T00:00:00Z", 4),
    ("Lord Howe half-hour DST", {"minute": "*/15", "timezone": "Australia/Lord_Howe"}, "2024-10-05T15:15:00Z", 6),
    ("Lord Howe half-hour fall back", {"minute": "*/15", "timezone": "Australia/Lord_Howe"}, "2024-04-06T14:15:00Z", 8),
]

SPECIAL_PARSE = {
    "second": ["*/5", "*/0", "*/59", "*/60", "0-59", "59-0", "5-5/1", "0-0/1", "0-0/59", "5/10", "60", "-1", "1-", "/5",
               "1,2 , 3", "1,,2", "", " ", " 5 ", "5\n", "5\n\n", "5\n,6", "\u0665", "1e2", "a", "*/5/2", "05", "1-3/0",
               "99999999999999999999", "4/56", "4/55"],
    "minute": ["*", "0-59/15", "*/30", "15,45", "1 ,  2", "\t5", "5\t"],
    "hour": ["0-23", "24", "9-17", "23-0", "*/23", "*/24", "0/23", "1/23", "0-0/23"],
    "day": ["last", "LAST", "last fri", "Last Fri", "lastly", "last x", "last  sun", "last\tsun", "1st fri", "1ST MON",
            "2nd fri,last", "6th fri", "5th sun", "1st fri xyz", "1st friday", "1st 4", "laſt", "1ſt fri", "0", "32",
            "31", "*/30", "*/31", "1-31/30", "fri", "1st fri-sat", "1st fri5", "1st fri!"],
    "week": ["1", "53", "54", "0", "*/2", "1-53/52", "last"],
    "day_of_week": ["mon-fri", "MON-FRI", "fri-mon", "mon", "sun", "7", "0-6", "6-0", "mon-fri/2", "mon-x",
                    "monday", "sat,sun", "mon-", "1st fri", "last", "*/6", "*/7", "mon,2"],
    "month": ["jan", "JAN-mar", "dec-jan", "feb-apr/2", "jan-3", "jan/2", "13", "0", "1-12/11", "1-12/12",
              "january", "janx", "*/11", "*/12", "j\u0131n", "sep-\u212aov"],
    "year": ["2024", "1969", "1970", "9999", "10000", "2020-2030/5", "*/8029", "*/8030"],
}


def random_expr(rnd, field):
    lo = {"year": 2023, "month": 1, "day": 1, "week": 1, "day_of_week": 0, "hour": 0, "minute": 0, "second": 0}[field]
    hi = {"year": 2032, "month": 12, "day": 31, "week": 53, "day_of_week": 6, "hour": 23, "minute": 59, "second": 59}[field]
    kind = rnd.randrange(8)
    a = rnd.randint(lo, hi)
    b = rnd.randint(a, hi)
    if kind == 0:
        return "*"
    if kind == 1:
        return "*/%d" % rnd.randint(1, max(1, (hi - lo) // 2))
    if kind == 2:
        return str(a)
    if kind == 3:
        return "%d-%d" % (a, b)
    if kind == 4:
        return "%d-%d/%d" % (a, b, rnd.randint(1, max(1, b - a)))
    if kind == 5:
        return ",".join(str(rnd.randint(lo, hi)) for _ in range(rnd.randint(2, 3)))
    if field == "month":
        m = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        i = rnd.randrange(12)
        j = rnd.randrange(i, 12)
        return m[i] if kind == 6 else "%s-%s" % (m[i], m[j])
    if field == "day_of_week":
        d = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        i = rnd.randrange(7)
        j = rnd.randrange(i, 7)
        return d[i] if kind == 6 else "%s-%s" % (d[i], d[j])
    if field == "day":
        opts = ["last", "1st mon", "2nd tue", "3rd wed", "4th thu", "5th fri", "last sat", "last sun"]
        return rnd.choice(opts) if kind == 6 else "%d,last" % a
    return str(a)


def random_cases(rnd, n):
    out = []
    for i in range(n):
        params = {}
        weights = {"year": 0.05, "month": 0.15, "day": 0.25, "week": 0.05, "day_of_week": 0.25,
                   "hour": 0.5, "minute": 0.5, "second": 0.4}
        for f in FIELDS:
            if rnd.random() < weights[f]:
                params[f] = random_expr(rnd, f)
        if rnd.random() < 0.5:
            zone, instant = rnd.choice(TRANSITIONS)
            start = instant + timedelta(seconds=rnd.randint(-3 * 86400, 86400))
        else:
            zone = rnd.choice(ZONES)
            start = datetime(2023, 1, 1, tzinfo=UTC) + timedelta(seconds=rnd.randint(0, 6 * 365 * 86400))
        params["timezone"] = zone
        out.append(("random %03d" % i, params, iso(start), 8))
    return out


def parse_vectors(rnd):
    out = []
    for field, values in SPECIAL_PARSE.items():
        for v in values:
            out.append(parse_one(field, v))
    alphabet = "0123456789*/-, abcdefghijklmnoprstuvwxyLAST\n\t"
    for _ in range(600):
        field = rnd.choice(FIELDS)
        v = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 8)))
        out.append(parse_one(field, v))
    return out


def parse_one(field, value):
    try:
        trig = CronTrigger(**{field: value}, timezone="UTC")
    except ValueError as e:
        return {"field": field, "value": value, "valid": False, "error": str(e)}
    f = trig.fields[FIELDS.index(field)]
    return {"field": field, "value": value, "valid": True, "canonical": str(f)}


def date_vectors():
    cases = [
        ("2024-03-10 02:30:00", "America/Los_Angeles"),
        ("2024-11-03 01:30:00", "America/Los_Angeles"),
        ("2024-11-03T01:30:00", "America/New_York"),
        ("2024-07-01 12:00:00", "America/Los_Angeles"),
        ("2024-07-01", "Europe/Berlin"),
        ("2024-03-31 02:15", "Europe/Berlin"),
        ("2024-10-27 02:15", "Europe/Berlin"),
        ("2014-12-31 23:59:59", "UTC"),
        ("2014-12-31T23:59:59Z", "America/Los_Angeles"),
        ("2014-12-31T23:59:59+05:30", "America/Los_Angeles"),
        ("2014-12-31T23:59:59-0800", "UTC"),
        ("2014-12-31T23:59:59.1234567", "Asia/Kolkata"),
        ("2014-12-31 23:59:59.5", "Asia/Tokyo"),
        ("2024-09-08 00:30", "America/Santiago"),
        ("2024-04-06 23:30", "America/Santiago"),
    ]
    out = []
    for s, tz in cases:
        trig = DateTrigger(dateutil.parser.parse(s), timezone=tz)
        out.append({"date": s, "timezone": tz, "instant": iso(trig.run_date)})
    return out


def interval_vectors():
    out = []
    for unit, delta, tz, start in [
        ("days", 1, "America/Los_Angeles", "2024-03-08T12:00:00Z"),
        ("hours", 1, "Europe/Berlin", "2024-10-26T23:30:00Z"),
        ("weeks", 1, "UTC", "2024-01-01T00:00:00Z"),
        ("seconds", 0, "UTC", "2024-01-01T00:00:00.25Z"),
        ("minutes", 90, "Asia/Kolkata", "2024-01-01T00:00:00Z"),
    ]:
        start_dt = datetime.fromisoformat(start.replace("Z", "+00:00"))
        trig = IntervalTrigger(**{unit: delta}, start_date=start_dt, timezone=tz)
        seq, prev = [], None
        now = start_dt - timedelta(seconds=1)
        for _ in range(4):
            nxt = trig.get_next_fire_time(prev, now)
            seq.append(iso(nxt))
            prev = now = nxt
        out.append({"unit": unit, "delta": delta, "timezone": tz, "start": start, "fires": seq})
    return out


def main():
    rnd = random.Random(20240310)
    cron = []
    for name, params, start, n in NAMED + random_cases(rnd, 400):
        try:
            seq = fires(params, datetime.fromisoformat(start.replace("Z", "+00:00")), n)
        except ValueError as e:
            print("bad case %s: %s" % (name, e), file=sys.stderr)
            continue
        cron.append({"name": name, "params": params, "start": start, "count": n, "fires": seq})
    doc = {
        "generator": "internal/trigger/timer/testdata/gen_vectors.py",
        "apscheduler": os.environ.get("APSCHEDULER_VERSION", "3.x"),
        "cron": cron,
        "parse": parse_vectors(rnd),
        "dates": date_vectors(),
        "intervals": interval_vectors(),
    }
    json.dump(doc, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

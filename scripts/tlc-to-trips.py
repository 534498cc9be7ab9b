#!/usr/bin/env python3
"""Converts NYC TLC trip records (CSV) into a coopsim trip file and zones file.

Input (docs/own-demand.md, "From NYC taxi records"):
  RECORDS  a TLC trip record CSV: High Volume For-Hire Vehicle records (request_datetime, or
           pickup_datetime when a row has none) or Yellow/Green taxi records
           (tpep_/lpep_pickup_datetime), each with PULocationID and DOLocationID; optional
           passenger_count (party) and base_passenger_fare / fare_amount (fare, with --fare).
  ZONES    the taxi zones' centres as a CSV with the columns LocationID, lon, lat (WGS84
           degrees), e.g. computed from the TLC taxi zone shapefile with any GIS tool.
Output, in OUTDIR:
  trips.csv  time (seconds from --start), origin_zone, dest_zone[, party][, fare], sorted
  zones.csv  zone, x, y: each zone's centre in metres east and north of the south-west corner
             of the zones' bounding box (an equirectangular projection, good to well under 1%
             across a city)
and prints the city.width and city.height the scenario needs. Rows outside [--start, --end),
with an unparseable time, or naming a zone the zones file does not list (TLC 264 and 265 are
"unknown") are left out and counted. Standard library only.

usage: scripts/tlc-to-trips.py RECORDS ZONES OUTDIR [--start 2024-01-02T00:00:00]
                               [--end 2024-01-03T00:00:00] [--fare]
"""
import argparse
import csv
import datetime
import math
import os
import sys

TIME_COLUMNS = ["request_datetime", "pickup_datetime", "tpep_pickup_datetime",
                "lpep_pickup_datetime"]
FARE_COLUMNS = ["base_passenger_fare", "fare_amount"]
PARTY_MAX = 8


def parse_time(text):
    text = text.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%m/%d/%Y %I:%M:%S %p"):
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            pass
    return None


def read_zones(path):
    zones = {}
    with open(path, newline="") as f:
        rows = csv.DictReader(f)
        missing = {"LocationID", "lon", "lat"} - set(rows.fieldnames or [])
        if missing:
            raise SystemExit("%s: missing column(s) %s (need LocationID, lon, lat)"
                             % (path, ", ".join(sorted(missing))))
        for n, r in enumerate(rows, start=2):
            try:
                zones[int(r["LocationID"])] = (float(r["lon"]), float(r["lat"]))
            except ValueError:
                raise SystemExit("%s:%d: LocationID, lon, lat must be numbers" % (path, n))
    if not zones:
        raise SystemExit("%s: no zones" % path)
    return zones


def project(zones):
    """Zone id -> (x, y) metres from the bounding box's south-west corner; width, height."""
    lon0 = min(p[0] for p in zones.values())
    lat0 = min(p[1] for p in zones.values())
    lat1 = max(p[1] for p in zones.values())
    k = math.cos(math.radians((lat0 + lat1) / 2))
    out = {z: ((lon - lon0) * 111320.0 * k, (lat - lat0) * 110540.0)
           for z, (lon, lat) in zones.items()}
    width = max(p[0] for p in out.values())
    height = max(p[1] for p in out.values())
    return out, width, height


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("records")
    ap.add_argument("zones")
    ap.add_argument("outdir")
    ap.add_argument("--start", help="time 0 of the run (default: midnight of the first record)")
    ap.add_argument("--end", help="leave out requests at or after this time")
    ap.add_argument("--fare", action="store_true", help="write the fare column")
    a = ap.parse_args(argv[1:])
    zones, width, height = project(read_zones(a.zones))
    start = parse_time(a.start) if a.start else None
    end = parse_time(a.end) if a.end else None
    if (a.start and not start) or (a.end and not end):
        raise SystemExit("--start/--end: write e.g. 2024-01-02T00:00:00")
    trips, skipped = [], {"time": 0, "zone": 0, "window": 0}
    with open(a.records, newline="") as f:
        rows = csv.DictReader(f)
        cols = rows.fieldnames or []
        times = [c for c in TIME_COLUMNS if c in cols]
        if not times or "PULocationID" not in cols or "DOLocationID" not in cols:
            raise SystemExit("%s: not TLC trip records (need one of %s, and PULocationID, "
                             "DOLocationID)" % (a.records, ", ".join(TIME_COLUMNS)))
        fare_col = next((c for c in FARE_COLUMNS if c in cols), None)
        if a.fare and not fare_col:
            raise SystemExit("%s: --fare needs one of %s" % (a.records, ", ".join(FARE_COLUMNS)))
        for r in rows:
            t = next((parse_time(r[c]) for c in times if r[c].strip()), None)
            if t is None:
                skipped["time"] += 1
                continue
            try:
                o, d = int(r["PULocationID"]), int(r["DOLocationID"])
            except ValueError:
                skipped["zone"] += 1
                continue
            if o not in zones or d not in zones:
                skipped["zone"] += 1
                continue
            party = ""
            if r.get("passenger_count", "").strip():
                try:
                    p = int(float(r["passenger_count"]))
                    party = str(p) if 1 <= p <= PARTY_MAX else ""
                except ValueError:
                    pass
            fare = ""
            if a.fare and r[fare_col].strip():
                try:
                    v = float(r[fare_col])
                    fare = "%.2f" % v if v >= 0 else ""
                except ValueError:
                    pass
            trips.append((t, o, d, party, fare))
    if start is None and trips:
        first = min(t[0] for t in trips)
        start = first.replace(hour=0, minute=0, second=0, microsecond=0)
    kept = []
    for t, o, d, party, fare in trips:
        s = (t - start).total_seconds()
        if s < 0 or (end and t >= end):
            skipped["window"] += 1
            continue
        kept.append((s, o, d, party, fare))
    # TLC files are not in time order; the trip file must be (ties keep the file's order)
    kept.sort(key=lambda x: x[0])
    os.makedirs(a.outdir, exist_ok=True)
    with open(os.path.join(a.outdir, "zones.csv"), "w", newline="") as f:
        f.write("zone,x,y\n")
        for z in sorted(zones):
            f.write("%d,%.1f,%.1f\n" % (z, zones[z][0], zones[z][1]))
    with open(os.path.join(a.outdir, "trips.csv"), "w", newline="") as f:
        f.write("time,origin_zone,dest_zone,party" + (",fare" if a.fare else "") + "\n")
        for s, o, d, party, fare in kept:
            f.write("%.0f,%d,%d,%s%s\n" % (s, o, d, party, ("," + fare) if a.fare else ""))
    print("wrote %d trips (left out: %d without a time, %d with an unknown zone, %d outside the "
          "window) to %s" % (len(kept), skipped["time"], skipped["zone"], skipped["window"],
                             a.outdir))
    # the city must hold every centre: round its sides up to the next 100 m
    print("city:\n  width: %dm\n  height: %dm" % (math.ceil(width / 100 + 1e-9) * 100 or 100,
                                                   math.ceil(height / 100 + 1e-9) * 100 or 100))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

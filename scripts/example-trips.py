#!/usr/bin/env python3
"""Writes scenarios/data/example-trips.csv, the trip file scenarios/own-demand.yaml reads.

The file is not hand-made: it is the requests of one generated run (the teaching city of
scenarios/teaching/commission.yaml at 2,000 requests a day, seed 3), taken from that run's
trips.csv and written in the trip-file format of docs/own-demand.md. Running this again with
the same coopsim gives the same bytes, which tests/test_own_demand.c checks.

usage: scripts/example-trips.py COOPSIM [OUT]   (OUT: scenarios/data/example-trips.csv)
"""
import csv
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "scenarios", "teaching", "commission.yaml")
SETS = ["demand.rate=2000/day"]


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    coopsim = argv[1]
    out = argv[2] if len(argv) == 3 else os.path.join(ROOT, "scenarios", "data", "example-trips.csv")
    with tempfile.TemporaryDirectory() as tmp:
        run = os.path.join(tmp, "run")
        cmd = [coopsim, "run", SCENARIO, "-o", run, "--trips", "--no-plots", "-q"]
        for s in SETS:
            cmd += ["--set", s]
        subprocess.run(cmd, check=True)
        rows = []
        with open(os.path.join(run, "trips.csv"), newline="") as f:
            first = None
            for r in csv.DictReader(f):
                # every platform saw the same requests (common random numbers): keep one
                first = first or r["platform"]
                if r["platform"] != first:
                    continue
                rows.append(r)
    tmp_out = out + ".tmp"
    with open(tmp_out, "w", newline="") as f:
        f.write("time,origin_x,origin_y,dest_x,dest_y\n")
        for r in rows:
            f.write("%.3f,%.1f,%.1f,%.1f,%.1f\n" % (
                float(r["request_s"]), float(r["origin_x_m"]), float(r["origin_y_m"]),
                float(r["dest_x_m"]), float(r["dest_y_m"])))
    os.replace(tmp_out, out)
    sys.stderr.write("%s: %d trips\n" % (out, len(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The Python module over libcoopsim: the program's numbers, tidy tables, errors with their
place, sweeps and cancellation."""
import os
import subprocess

import pandas as pd
import pytest

import coopsim

SETS = {"platforms[1].commission": "10%", "simulation.duration": "4h"}


def test_same_numbers_as_the_program(source, binary, tmp_path):
    scen = os.path.join(source, "scenarios", "teaching", "commission.yaml")
    cli = tmp_path / "cli"
    args = [binary, "run", scen, "-o", str(cli), "--no-plots", "-q"]
    for k, v in SETS.items():
        args += ["--set", "%s=%s" % (k, v)]
    subprocess.run(args + ["--seed", "3"], check=True)
    r = coopsim.run(scen, tmp_path / "py", seed=3, set=SETS)
    for name in ("summary.json", "drivers.csv", "hourly.csv", "metrics.csv", "run.csv"):
        assert (cli / name).read_bytes() == (tmp_path / "py" / name).read_bytes(), name
    # and what the module hands back is those files' numbers
    want = pd.read_csv(cli / "drivers.csv")
    got = r.drivers
    assert list(got.columns)[0] == "run"
    assert (got["run"] == 0).all()
    pd.testing.assert_frame_equal(got, want)
    m = r.metrics
    net = m[(m.platform == "takes-10") & (m.metric == "drivers.net_per_hour")]["value"]
    summary = r.summary
    pf = {p["name"]: p for p in summary["platforms"]}
    assert net.tolist() == [pf["takes-10"]["drivers"]["net_per_hour"]]
    assert summary["seed"] == 3


def test_same_experiment_as_the_program(source, binary, tmp_path):
    scen = os.path.join(source, "scenarios", "sweep-commission.yaml")
    sets = {"simulation.replications": 2, "simulation.duration": "1h"}
    args = [binary, "run", scen, "-o", str(tmp_path / "cli"), "--no-plots", "-q"]
    for k, v in sets.items():
        args += ["--set", "%s=%s" % (k, v)]
    subprocess.run(args, check=True)
    coopsim.run(scen, tmp_path / "py", set=sets)
    for name in ("summary.json", "sweep.csv", "sweep_summary.csv", "runs/run-000007.json",
                 "runs/run-000007/drivers.csv", "metrics.csv", "run.csv"):
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "py" / name).read_bytes(), \
            name


def _on_disk(path):
    """A CSV file as pandas reads it, empty fields (only those) as missing."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def test_tables_are_the_files(source, tmp_path):
    """The DataFrames the module builds from the library's columns equal the CSV files on disk:
    every table of a single run (its run column 0), and every per-run table of an experiment
    stacked in run order (its run column the run's number)."""
    scen = os.path.join(source, "scenarios", "flagship.yaml")
    r = coopsim.run(scen, tmp_path / "one", set={"simulation.duration": "3h"}, trips=True)
    tables = sorted(f[:-4] for f in os.listdir(tmp_path / "one") if f.endswith(".csv"))
    assert {"drivers", "hourly", "trips", "blocks", "books", "metrics", "run"} <= set(tables)
    for name in tables:
        want = _on_disk(tmp_path / "one" / (name + ".csv"))
        pd.testing.assert_frame_equal(r.table(name), want, obj=name)
        if name not in ("metrics", "run"):
            assert list(want.columns)[0] == "run" and (want["run"] == 0).all(), name
    gov = coopsim.run(os.path.join(source, "scenarios", "governance.yaml"), tmp_path / "gov",
                      set={"simulation.duration": "10d"})
    for name in ("governance", "votes", "rules", "drivers"):
        pd.testing.assert_frame_equal(gov.table(name), _on_disk(tmp_path / "gov" / (name + ".csv")),
                                      obj=name)
    e = coopsim.run(scen, tmp_path / "exp", trips=True,
                    set={"simulation.duration": "2h", "simulation.replications": 3})
    for name in ("drivers", "hourly", "trips", "blocks", "books"):
        parts = [_on_disk(tmp_path / "exp" / "runs" / ("run-%06d" % i) / (name + ".csv"))
                 for i in range(3)]
        for i, part in enumerate(parts):
            assert (part["run"] == i).all(), name
        want = pd.concat(parts, ignore_index=True)
        pd.testing.assert_frame_equal(e.table(name), want, obj=name)
    for name in ("metrics", "runs", "run"):
        pd.testing.assert_frame_equal(e.table(name), _on_disk(tmp_path / "exp" / (name + ".csv")),
                                      obj=name)
    assert pd.api.types.is_integer_dtype(e.drivers["driver"])
    assert pd.api.types.is_float_dtype(e.drivers["online_hours"])
    assert e.drivers["platform"].map(type).eq(str).all()


def test_seed_changes_the_numbers(source, tmp_path):
    scen = os.path.join(source, "scenarios", "teaching", "commission.yaml")
    a = coopsim.run(scen, tmp_path / "a", seed=3, set=SETS).drivers
    b = coopsim.run(scen, tmp_path / "b", seed=4, set=SETS).drivers
    assert not a.equals(b)


def test_errors_say_where(source):
    with pytest.raises(coopsim.Error) as e:
        coopsim.load(text="name: x\nsimulation:\n  duration: 3 parsecs\n", name="mine.yaml")
    assert (e.value.file, e.value.line, e.value.column) == ("mine.yaml", 3, 13)
    assert e.value.status == -1
    bad = os.path.join(source, "tests", "data", "scenario", "binary.yaml")
    with pytest.raises(coopsim.Error) as e:
        coopsim.load(bad)
    assert "binary.yaml" in str(e.value)
    with pytest.raises(coopsim.Error) as e:
        coopsim.run(os.path.join(source, "scenarios", "flagship.yaml"),
                    set={"platforms[1].commission": "150%"})
    assert str(e.value).startswith("--set platforms[1].commission=150%")
    assert e.value.line is None


def test_sweep_metrics_csv_is_tidy(source, tmp_path):
    """metrics.csv of a sweep, read with pandas: one row per (point, replication, platform,
    metric), every (point, replication) there, parameters as numbers in SI units."""
    r = coopsim.run(os.path.join(source, "scenarios", "sweep-commission.yaml"), tmp_path,
                    set={"simulation.replications": 2, "simulation.duration": "2h"})
    assert r.runs == 12
    m = pd.read_csv(tmp_path / "metrics.csv")
    assert list(m.columns) == ["run", "point", "platforms[1].commission", "replication", "seed",
                               "platform", "metric", "value", "unit"]
    key = ["point", "replication", "platform", "metric"]
    assert not m.duplicated(key).any()
    per = m.groupby(["point", "replication", "platform"]).size()
    assert len(per) == 6 * 2 * 2  # every run, every platform
    # a metric defined in every run is there in every run (undefined ones, null in the
    # records, are left out)
    assert len(m[m.metric == "drivers.net_per_hour"]) == 6 * 2 * 2
    assert set(m.platform) == {"ride-corp", "drivers-coop"}
    assert pd.api.types.is_float_dtype(m["platforms[1].commission"])
    assert sorted(m["platforms[1].commission"].unique()) == pytest.approx(
        [0.05, 0.10, 0.15, 0.20, 0.25, 0.30])
    assert pd.api.types.is_float_dtype(m["value"]) or pd.api.types.is_integer_dtype(m["value"])
    assert (m.unit.notna()).all()
    net = m[(m.metric == "drivers.net_per_hour")]
    assert set(net.unit) == {"currency units per hour"}
    # the same numbers as the run records
    rec = r.summary  # the experiment's statistics: the means over replications
    pt = rec["points"][2]["platforms"]
    coop = [p for p in pt if p["name"] == "drivers-coop"][0]
    mine = net[(net.point == 2) & (net.platform == "drivers-coop")]["value"].mean()
    assert mine == pytest.approx(coop["drivers"]["net_per_hour"]["mean"], rel=1e-12)
    pd.testing.assert_frame_equal(r.metrics, m)
    assert sorted(r.drivers["run"].unique()) == list(range(12))
    assert len(r.sweep) == 12 and len(r.sweep_summary) == 6
    run = pd.read_csv(tmp_path / "run.csv")
    assert run.loc[0, "runs"] == 12 and len(run.loc[0, "scenario_sha256"]) == 64


def test_cancel_and_resume(source, tmp_path):
    scen = coopsim.load(os.path.join(source, "scenarios", "sweep-commission.yaml"),
                        set={"simulation.replications": 2, "simulation.duration": "2h"})
    assert scen.runs == 12
    seen = []

    def progress(done, total, fraction):
        seen.append((done, total, fraction))
        return done < 3

    with pytest.raises(coopsim.Error) as e:
        coopsim.run(scen, tmp_path, progress=progress)
    assert e.value.cancelled
    assert not (tmp_path / "summary.json").exists()
    assert all(t == 12 for _, t, _ in seen)
    r = coopsim.run(scen, tmp_path, resume=True)
    assert r.runs == 12 and (tmp_path / "summary.json").exists()
    again = coopsim.open_result(tmp_path)
    assert again.sweep.equals(r.sweep)

"""coopsim from Python: run a scenario through libcoopsim and get its results as pandas tables.

    import coopsim
    r = coopsim.run("scenarios/flagship.yaml", seed=3, set={"platforms[1].commission": "10%"})
    r.metrics    # metrics.csv: one row per (run, platform, metric), long form
    r.drivers    # drivers.csv of every run, with a run column
    r.summary    # summary.json as a dict

Errors in a scenario raise coopsim.Error, whose file, line and column say where. The library
is found from $COOPSIM_LIB, else the build tree next to this package (build/), else the
installed libcoopsim.so.0. See docs/python.md.
"""

import ctypes
import json
import os
import re
import tempfile

import numpy as np
import pandas as pd

__all__ = ["Error", "Scenario", "Result", "load", "run", "open_result", "version"]

_STATUS = {0: "ok", -1: "bad input", -2: "input/output error", -3: "out of memory",
           -4: "internal error", -5: "cancelled"}
_WHERE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<column>\d+): ")


class Error(Exception):
    """A failure of the library: status (negative, as in coopsim.h), the message, and for a
    scenario value its file, line and column (None when the message names no place)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message
        m = _WHERE.match(message)
        self.file = m.group("file") if m else None
        self.line = int(m.group("line")) if m else None
        self.column = int(m.group("column")) if m else None

    @property
    def cancelled(self):
        return self.status == -5


def _candidates():
    env = os.environ.get("COOPSIM_LIB")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    out = [os.path.join(here, "..", "..", "build", "libcoopsim.so")]
    # an install: <prefix>/lib/python3/dist-packages/coopsim -> <prefix>/lib/libcoopsim.so.0
    out.append(os.path.join(here, "..", "..", "..", "libcoopsim.so.0"))
    out.append(os.path.join(here, "..", "..", "..", "x86_64-linux-gnu", "libcoopsim.so.0"))
    out.append("libcoopsim.so.0")  # the dynamic loader's own search (ldconfig, LD_LIBRARY_PATH)
    return out


def _open_library():
    tried = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(path + " (missing)")
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
    raise ImportError("coopsim: cannot load libcoopsim; set COOPSIM_LIB to its path. Tried: "
                      + "; ".join(tried))


_lib = _open_library()
_c = ctypes
_PROGRESS = _c.CFUNCTYPE(_c.c_int, _c.c_void_p, _c.c_size_t, _c.c_size_t, _c.c_double)
_lib.coopsim_version.restype = _c.c_char_p
_lib.coopsim_load_file.argtypes = [_c.c_char_p, _c.POINTER(_c.c_char_p), _c.c_size_t,
                                   _c.POINTER(_c.c_void_p), _c.c_char_p, _c.c_size_t]
_lib.coopsim_load_string.argtypes = [_c.c_char_p, _c.c_char_p, _c.c_size_t,
                                     _c.POINTER(_c.c_char_p), _c.c_size_t,
                                     _c.POINTER(_c.c_void_p), _c.c_char_p, _c.c_size_t]
_lib.coopsim_scenario_free.argtypes = [_c.c_void_p]
_lib.coopsim_scenario_name.argtypes = [_c.c_void_p]
_lib.coopsim_scenario_name.restype = _c.c_char_p
_lib.coopsim_scenario_runs.argtypes = [_c.c_void_p]
_lib.coopsim_scenario_runs.restype = _c.c_size_t
_lib.coopsim_run.argtypes = [_c.c_void_p, _c.c_char_p, _c.c_uint, _PROGRESS, _c.c_void_p,
                             _c.POINTER(_c.c_void_p), _c.c_char_p, _c.c_size_t]
_lib.coopsim_result_open.argtypes = [_c.c_char_p, _c.POINTER(_c.c_void_p), _c.c_char_p,
                                     _c.c_size_t]
_lib.coopsim_result_free.argtypes = [_c.c_void_p]
_lib.coopsim_result_runs.argtypes = [_c.c_void_p]
_lib.coopsim_result_runs.restype = _c.c_size_t
_lib.coopsim_result_summary.argtypes = [_c.c_void_p, _c.POINTER(_c.c_void_p), _c.c_char_p,
                                        _c.c_size_t]
_lib.coopsim_result_table.argtypes = [_c.c_void_p, _c.c_char_p, _c.POINTER(_c.c_void_p),
                                      _c.c_char_p, _c.c_size_t]
_lib.coopsim_free.argtypes = [_c.c_void_p]
_lib.coopsim_result_columns.argtypes = [_c.c_void_p, _c.c_char_p, _c.POINTER(_c.c_void_p),
                                        _c.c_char_p, _c.c_size_t]
_lib.coopsim_table_free.argtypes = [_c.c_void_p]
for _f in ("coopsim_table_rows", "coopsim_table_columns"):
    getattr(_lib, _f).argtypes = [_c.c_void_p]
    getattr(_lib, _f).restype = _c.c_size_t
_lib.coopsim_table_name.argtypes = [_c.c_void_p, _c.c_size_t]
_lib.coopsim_table_name.restype = _c.c_char_p
_lib.coopsim_table_type.argtypes = [_c.c_void_p, _c.c_size_t]
_lib.coopsim_table_type.restype = _c.c_int
_lib.coopsim_table_ints.argtypes = [_c.c_void_p, _c.c_size_t]
_lib.coopsim_table_ints.restype = _c.POINTER(_c.c_int64)
_lib.coopsim_table_reals.argtypes = [_c.c_void_p, _c.c_size_t]
_lib.coopsim_table_reals.restype = _c.POINTER(_c.c_double)
_lib.coopsim_table_texts.argtypes = [_c.c_void_p, _c.c_size_t]
_lib.coopsim_table_texts.restype = _c.POINTER(_c.c_char_p)
_COLUMN_INT, _COLUMN_REAL, _COLUMN_TEXT = 1, 2, 3

_RUN_TRIPS, _RUN_LEDGER, _RUN_RESUME, _RUN_FORCE = 1, 2, 4, 8


def version():
    """The library's version, as `coopsim version` prints it."""
    return _lib.coopsim_version().decode()


def _check(status, err):
    if status != 0:
        raise Error(status, err.value.decode("utf-8", "replace") or _STATUS.get(status, "error"))


def _overrides(seed, set):
    out = []
    for path, value in (set or {}).items():
        out.append("%s=%s" % (path, value))
    if seed is not None:
        out.append("simulation.seed=%d" % int(seed))
    arr = (_c.c_char_p * max(len(out), 1))(*[s.encode() for s in out])
    return out, arr


def _text(ptr):
    try:
        return _c.string_at(ptr).decode("utf-8")
    finally:
        _lib.coopsim_free(ptr)


class Scenario:
    """A loaded and checked scenario with its overrides (see load)."""

    def __init__(self, handle, overrides):
        self._h = _c.c_void_p(handle)
        self.overrides = overrides

    def __del__(self):
        if getattr(self, "_h", None):
            _lib.coopsim_scenario_free(self._h)
            self._h = None

    @property
    def name(self):
        return _lib.coopsim_scenario_name(self._h).decode()

    @property
    def runs(self):
        """How many runs it makes: sweep points times replications."""
        return _lib.coopsim_scenario_runs(self._h)


def load(path=None, *, text=None, name="scenario", seed=None, set=None):
    """Loads and checks a scenario file (or YAML text, which messages call `name`), with
    overrides: set={"platforms[1].commission": "10%"} as `coopsim run --set`, and seed."""
    if (path is None) == (text is None):
        raise ValueError("give a scenario path or text=, not both")
    over, arr = _overrides(seed, set)
    h, err = _c.c_void_p(), _c.create_string_buffer(4096)
    if path is not None:
        st = _lib.coopsim_load_file(os.fsencode(path), arr, len(over), _c.byref(h), err,
                                    len(err))
    else:
        data = text.encode("utf-8")
        st = _lib.coopsim_load_string(name.encode(), data, len(data), arr, len(over),
                                      _c.byref(h), err, len(err))
    _check(st, err)
    return Scenario(h.value, over)


class Result:
    """The output directory of a run, read through the library (tables as DataFrames)."""

    def __init__(self, handle):
        self._h = _c.c_void_p(handle)
        self._tables = {}

    def __del__(self):
        if getattr(self, "_h", None):
            _lib.coopsim_result_free(self._h)
            self._h = None

    @property
    def dir(self):
        return self._dir

    @property
    def runs(self):
        return _lib.coopsim_result_runs(self._h)

    @property
    def summary(self):
        """summary.json as a dict."""
        p, err = _c.c_void_p(), _c.create_string_buffer(4096)
        _check(_lib.coopsim_result_summary(self._h, _c.byref(p), err, len(err)), err)
        return json.loads(_text(p))

    def csv(self, name):
        """A table's CSV text (see coopsim_result_table in coopsim.h)."""
        p, err = _c.c_void_p(), _c.create_string_buffer(4096)
        _check(_lib.coopsim_result_table(self._h, name.encode(), _c.byref(p), err, len(err)),
               err)
        return _text(p)

    def table(self, name):
        """A table by name ("drivers", "hourly", "sweep", ...) as a DataFrame, built from the
        library's columns (coopsim_result_columns): whole numbers as int64, other numbers as
        float64 (an empty field is NaN), text as str (an empty field is NaN). Every table a run
        writes has a first column `run`; an experiment's come stacked in run order."""
        if name not in self._tables:
            self._tables[name] = _frame(self._h, name)
        return self._tables[name].copy()

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self.table(name)

    @property
    def metrics(self):
        """metrics.csv: every run's per-platform metrics in long form, one row per (run,
        platform, metric): run, point, one numeric column per swept key (SI or currency
        units), replication, seed, platform, metric, value, unit."""
        return self.table("metrics")


def _column(t, j, n):
    kind = _lib.coopsim_table_type(t, j)
    if kind == _COLUMN_TEXT:
        p = _lib.coopsim_table_texts(t, j)
        return pd.Series([p[i].decode("utf-8") or np.nan for i in range(n)], dtype=object)
    if n == 0:
        return pd.Series([], dtype=np.int64 if kind == _COLUMN_INT else np.float64)
    p = _lib.coopsim_table_ints(t, j) if kind == _COLUMN_INT else _lib.coopsim_table_reals(t, j)
    return pd.Series(np.ctypeslib.as_array(p, shape=(n,)).copy())


def _frame(result, name):
    t, err = _c.c_void_p(), _c.create_string_buffer(4096)
    _check(_lib.coopsim_result_columns(result, name.encode(), _c.byref(t), err, len(err)), err)
    try:
        n, k = _lib.coopsim_table_rows(t), _lib.coopsim_table_columns(t)
        names = [_lib.coopsim_table_name(t, j).decode("utf-8") for j in range(k)]
        df = pd.concat([_column(t, j, n) for j in range(k)], axis=1) if k else pd.DataFrame()
        df.columns = names
        return df
    finally:
        _lib.coopsim_table_free(t)


def _progress_callback(progress):
    if progress is None:
        return _PROGRESS()  # NULL

    def call(ctx, done, total, fraction):
        try:
            return 1 if progress(done, total, fraction) is False else 0
        except BaseException:  # an exception in the callback cancels the run
            return 1
    return _PROGRESS(call)


def run(scenario, out=None, *, seed=None, set=None, progress=None, trips=False, ledger=False,
        resume=False, force=False):
    """Runs a scenario (a path, or a Scenario from load) into the directory out (default: a new
    temporary directory) and returns its Result. The directory is held as `coopsim run` holds
    it (force=True writes into a non-empty one coopsim did not write). progress(done, total, fraction) is called as
    it goes; returning False cancels (coopsim.Error with .cancelled)."""
    if not isinstance(scenario, Scenario):
        scenario = load(scenario, seed=seed, set=set)
    elif seed is not None or set:
        raise ValueError("give seed= and set= to load() when passing a Scenario")
    if out is None:
        out = tempfile.mkdtemp(prefix="coopsim-")
    flags = (_RUN_TRIPS if trips else 0) | (_RUN_LEDGER if ledger else 0) | \
        (_RUN_RESUME if resume else 0) | (_RUN_FORCE if force else 0)
    cb = _progress_callback(progress)
    h, err = _c.c_void_p(), _c.create_string_buffer(4096)
    st = _lib.coopsim_run(scenario._h, os.fsencode(out), flags, cb, None, _c.byref(h), err,
                          len(err))
    _check(st, err)
    r = Result(h.value)
    r._dir = os.fspath(out)
    return r


def open_result(d):
    """The Result of an earlier run's directory (one holding summary.json)."""
    h, err = _c.c_void_p(), _c.create_string_buffer(4096)
    _check(_lib.coopsim_result_open(os.fsencode(d), _c.byref(h), err, len(err)), err)
    r = Result(h.value)
    r._dir = os.fspath(d)
    return r

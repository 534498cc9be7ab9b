"""Shared setup of the Python module's tests: the source tree, the program, the module."""
import os
import sys

import pytest

SOURCE = os.environ.get("COOPSIM_SOURCE_DIR",
                        os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
sys.path.insert(0, os.path.join(SOURCE, "python"))


@pytest.fixture
def source():
    return SOURCE


@pytest.fixture
def binary():
    path = os.environ.get("COOPSIM_BINARY", os.path.join(SOURCE, "build", "coopsim"))
    assert os.access(path, os.X_OK), "no coopsim program at %s (set COOPSIM_BINARY)" % path
    return path

"""The reader fuzz harness (benchmarks/fuzz_readers.py) stays runnable: its target passes
on every seed and on a short hypothesis run, and its CLI runs without atheris too."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

HARNESS = Path(__file__).resolve().parents[2] / "benchmarks" / "fuzz_readers.py"


def harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_readers", HARNESS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_target_passes_on_every_seed() -> None:
    fuzz = harness()
    seeds = fuzz.seeds()
    assert len(seeds) >= 10
    for seed in seeds:
        fuzz.target(seed)
    for data in (b"", b"\x00", b"\x03PK\x03\x04", b"\x02" + b"<" * 1000, b"\x01\xff\xfe"):
        fuzz.target(data)


def test_hypothesis_mode_runs() -> None:
    result = subprocess.run([sys.executable, str(HARNESS), "--hypothesis", "--examples", "60"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-1000:]
    assert "no failure" in result.stderr

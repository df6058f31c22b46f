"""The benchmark scripts still run against the code as it is (they are not imported by
anything else, so a renamed function would otherwise break them unseen)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_the_profile_times_every_stage(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Help\n\nService users get a care package.\n", "utf-8")
    (tmp_path / "b.md").write_text("We empty the bins on Monday.\n", "utf-8")
    result = subprocess.run([sys.executable, str(BENCHMARKS / "profile.py"), str(tmp_path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    stages = [line.rsplit(None, 1)[0].strip() for line in result.stdout.splitlines()]
    assert "import spaCy, make its English tokenizer" in stages
    assert "screen, tokenise, match" in stages
    assert result.stdout.splitlines()[-1].endswith("(2 files, 2 findings)")


def test_the_benchmark_explains_itself() -> None:
    result = subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--help"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "--targets" in result.stdout

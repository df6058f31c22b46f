"""plainspeak check --baseline: --update-baseline records, later runs report only new problems."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Invoke


def test_baseline_workflow(invoke: Invoke, docs: Path) -> None:
    first = invoke("check", "--baseline", "baseline.json", "--update-baseline", "site")
    assert first.exit_code == 0
    assert "wrote" in first.stderr and (docs / "baseline.json").exists()
    again = invoke("check", "--baseline", "baseline.json", "site")
    assert again.exit_code == 0
    assert "All clear" in again.stdout
    page = docs / "site" / "b.md"
    page.write_text("# A new title\n\n" + page.read_text("utf-8") + "\nWe will signpost you.\n",
                    "utf-8")
    new = invoke("check", "--quiet", "--baseline", "baseline.json", "site")
    assert new.exit_code == 1
    assert new.stdout.splitlines() == [
        "site/b.md:7:9: PS101 [warning] \u2018signpost\u2019 is jargon. "
        "Try \u2018point\u2019 or \u2018direct\u2019."]
    updated = invoke("check", "--baseline", "baseline.json", "--update-baseline", "site")
    assert updated.exit_code == 0


def test_update_baseline_needs_baseline(invoke: Invoke, docs: Path) -> None:
    assert invoke("check", "--update-baseline", "site").exit_code == 2


def test_missing_baseline_is_an_error_not_a_new_baseline(invoke: Invoke, docs: Path) -> None:
    result = invoke("check", "--baseline", "missing.json", "site")
    assert result.exit_code == 2
    assert "missing.json: no such baseline file" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (docs / "missing.json").exists()

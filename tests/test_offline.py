"""Nothing phones home: the installed CLI and API run with networking blocked and an
empty home directory, over every format, and nothing tries to download."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

GUARD = '''
import socket, sys
def _refuse(*args, **kwargs):
    with open({log!r}, "a") as log:
        log.write("network use: %r\\n" % (args,))
    raise OSError("network disabled by the plainspeak offline test")
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
'''


def make_documents(folder: Path) -> list[Path]:
    from docx import Document

    text = "Service users and the steering group co-produced the care package."
    (folder / "a.txt").write_text(text + "\n", "utf-8")
    (folder / "b.md").write_text(f"# Plan\n\n{text}\n", "utf-8")
    (folder / "c.html").write_text(f"<p>{text}</p>", "utf-8")
    doc = Document()
    doc.add_paragraph(text)
    doc.save(folder / "d.docx")
    return sorted(folder.iterdir())


@pytest.fixture()
def offline_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir()
    log = tmp_path / "network.log"
    (guard_dir / "sitecustomize.py").write_text(GUARD.format(log=str(log)), "utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NLTK", "XDG"))}
    env.update(HOME=str(home), PYTHONPATH=os.pathsep.join(
        [str(guard_dir), *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])]),
        NO_COLOR="1", http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9")
    return env, log


def run(cmd: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    if shutil.which("unshare") and os.geteuid() == 0:
        probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
        if probe.returncode == 0:
            cmd = ["unshare", "-n", *cmd]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


def test_cli_checks_every_format_offline(tmp_path: Path, offline_env) -> None:
    env, log = offline_env
    docs = tmp_path / "docs"
    docs.mkdir()
    files = make_documents(docs)
    result = run([sys.executable, "-m", "plainspeak", "check", "--format", "json",
                  *map(str, files)], env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    import json

    data = json.loads(result.stdout)
    assert [f["error"] for f in data["files"]] == [None] * 4
    for entry in data["files"]:
        ids = {f["entry_id"] for f in entry["findings"]}
        assert {"service-user", "steering-group", "care-package"} <= ids, entry["path"]
        assert entry["readability"]["words"] > 5
    assert not log.exists(), log.read_text()
    assert list((tmp_path / "home").iterdir()) == []  # nothing cached or downloaded


@pytest.mark.parametrize("output", ["text", "sarif", "github", "html"])
def test_every_output_format_offline(tmp_path: Path, offline_env, output: str) -> None:
    env, log = offline_env
    docs = tmp_path / "docs"
    docs.mkdir()
    files = make_documents(docs)
    result = run([sys.executable, "-m", "plainspeak", "check", "--format", output,
                  *map(str, files)], env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stdout
    assert not log.exists(), log.read_text()
    assert list((tmp_path / "home").iterdir()) == []


def test_fix_offline(tmp_path: Path, offline_env) -> None:
    env, log = offline_env
    docs = tmp_path / "docs"
    docs.mkdir()
    files = make_documents(docs)
    result = run([sys.executable, "-m", "plainspeak", "fix", "--unsafe", *map(str, files)],
                 env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "service users" not in (docs / "a.txt").read_text().lower()
    assert not log.exists(), log.read_text()
    assert list((tmp_path / "home").iterdir()) == []


def test_api_and_readability_offline(offline_env) -> None:
    env, log = offline_env
    code = ("import plainspeak; r = plainspeak.check('Service users met. The plan is good.');"
            "print(len(r.findings), r.readability.syllables)")
    result = run([sys.executable, "-c", code], env)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[0]) >= 1
    assert not log.exists()

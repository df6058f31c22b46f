"""Two or more fixers on the same files at once: every file ends correctly fixed, and
nobody watching ever sees a file mixed, truncated or missing."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from plainspeak.api import Checker
from plainspeak.fileio import TEMP_PREFIX, write_atomic
from plainspeak.fix import plan_file_fix

GLOSSARY = Path(__file__).parent.parent / "data" / "engine-glossary.yaml"
ROUNDS = 2
WORKERS = 3

# Each worker waits for "go-N", fixes every file in its own order, then says "done-N".
WORKER = textwrap.dedent("""
    import os, random, sys, time
    from plainspeak.api import Checker
    from plainspeak.errors import FixConflictError
    from plainspeak.fileio import write_atomic
    from plainspeak.fix import plan_file_fix
    from plainspeak.glossary.loader import load_glossary

    glossary, docs, control, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    checker = Checker(glossary=load_glossary(glossary, builtin=False))
    checker.check("Please utilise it.")          # build the matcher before the race
    rng = random.Random(os.getpid())
    for r in range(rounds):
        deadline = time.monotonic() + 120
        while not os.path.exists(os.path.join(control, f"go-{r}")):
            if time.monotonic() > deadline:
                sys.exit("never told to start")
            time.sleep(0.001)
        names = sorted(os.listdir(docs))
        rng.shuffle(names)
        wrote = conflicts = 0
        for name in names:
            if name.startswith(".plainspeak-"):
                continue
            path = os.path.join(docs, name)
            plan = plan_file_fix(checker, path)
            if plan.new is None:
                continue
            try:
                write_atomic(path, plan.new, original=plan.original, mode=plan.mode)
                wrote += 1
            except FixConflictError:
                conflicts += 1
        with open(os.path.join(control, f"done-{r}-{os.getpid()}"), "w") as out:
            out.write(f"{wrote} {conflicts}")
""")


def documents() -> dict[str, bytes]:
    """Files big enough that writes overlap, in several formats, encodings and newlines."""
    para = ("Service users told us the form was hard. Please utilise the new one. "
            "The care package and the personal budget are explained below.")
    body = "\n\n".join(f"{para} (part {i})" for i in range(60))
    files: dict[str, bytes] = {}
    for i in range(4):
        files[f"letter{i}.txt"] = body.encode() + b"\n"
        files[f"crlf{i}.md"] = f"# Plan {i}\n\n{body}\n".replace("\n", "\r\n").encode()
        files[f"page{i}.html"] = (codecs.BOM_UTF8 + f"<h1>Plan</h1><p>{body}</p>"
                                  .replace("\n\n", "</p>\n<p>").encode())
    files["wide.txt"] = codecs.BOM_UTF16_LE + body.encode("utf-16-le")
    return files


def expected_fixes(checker: Checker, folder: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    """Each file as one fixer alone leaves it."""
    out: dict[str, bytes] = {}
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        plan = plan_file_fix(checker, path)
        assert plan.new is not None, name
        write_atomic(path, plan.new, original=plan.original, mode=plan.mode)
        out[name] = path.read_bytes()
    return out


class Watcher(threading.Thread):
    """Reads every file over and over while the fixers run; records anything that is
    neither the original nor the fixed file (a torn, mixed, empty or missing file)."""

    def __init__(self, folder: Path, allowed: dict[str, set[bytes]]) -> None:
        super().__init__(daemon=True)
        self.folder = folder
        self.allowed = allowed
        self.stop = threading.Event()
        self.bad: list[str] = []
        self.reads = 0

    def run(self) -> None:
        while not self.stop.is_set():
            for name, allowed in self.allowed.items():
                try:
                    data = (self.folder / name).read_bytes()
                except FileNotFoundError:
                    self.bad.append(f"{name}: missing")
                    continue
                self.reads += 1
                if data not in allowed:
                    self.bad.append(f"{name}: {len(data)} bytes, neither old nor new")


def run_race(folder: Path, control: Path, files: dict[str, bytes],
             fixed: dict[str, bytes], commands: list[list[str]] | None,
             worker_cmd: list[str] | None, rounds: int = ROUNDS) -> list[str]:
    """Run races; return what the watcher saw that it should not have."""
    allowed = {name: {files[name], fixed[name]} for name in files}
    problems: list[str] = []
    env = {**os.environ, "NO_COLOR": "1"}
    workers = []
    if worker_cmd is not None:
        workers = [subprocess.Popen(worker_cmd, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
                   for _ in range(WORKERS)]
    try:
        for r in range(rounds):
            for name, data in files.items():
                (folder / name).write_bytes(data)
            watcher = Watcher(folder, allowed)
            watcher.start()
            if commands is not None:
                procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True)
                         for cmd in commands]
                for proc in procs:
                    out, err = proc.communicate(timeout=300)
                    # 1: files changed; 2: some file changed under it (a conflict).
                    assert proc.returncode in (0, 1, 2), err
                    assert "Traceback" not in err, err
                    for line in err.splitlines():
                        if line.startswith("plainspeak: ") and "changed while" not in line:
                            problems.append(line)
            else:
                (control / f"go-{r}").touch()
                deadline = time.monotonic() + 300
                while len([n for n in os.listdir(control)
                           if n.startswith(f"done-{r}-")]) < WORKERS:
                    dead = [w for w in workers if w.poll() is not None]
                    assert not dead, dead[0].communicate()[1]
                    assert time.monotonic() < deadline, "fixers hung"
                    time.sleep(0.01)
            watcher.stop.set()
            watcher.join()
            assert watcher.reads > 0
            problems.extend(watcher.bad)
            for name in files:
                assert (folder / name).read_bytes() == fixed[name], f"round {r}: {name}"
            assert [n for n in os.listdir(folder) if n.startswith(TEMP_PREFIX)] == []
        if worker_cmd is not None:
            counts = [(control / n).read_text().split() for n in os.listdir(control)
                      if n.startswith("done-")]
            print("writes and conflicts per worker and round:", counts)
    finally:
        for w in workers:
            try:
                _, err = w.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                w.kill()
                err = "killed"
            assert w.returncode == 0, err
    return problems


@pytest.mark.slow
def test_concurrent_library_fixers(checker: Checker, tmp_path: Path) -> None:
    files, fixed, folder, control = race_setup(checker, tmp_path)
    cmd = [sys.executable, "-c", WORKER, str(GLOSSARY), str(folder), str(control),
           str(ROUNDS)]
    assert run_race(folder, control, files, fixed, None, cmd) == []


def race_setup(checker: Checker, tmp_path: Path
               ) -> tuple[dict[str, bytes], dict[str, bytes], Path, Path]:
    """The documents, what one fixer alone makes of them, and the folders to race in."""
    files = documents()
    solo = tmp_path / "solo"
    solo.mkdir()
    fixed = expected_fixes(checker, solo, files)
    folder, control = tmp_path / "docs", tmp_path / "control"
    folder.mkdir()
    control.mkdir()
    return files, fixed, folder, control


@pytest.mark.slow
def test_concurrent_cli_fixers(checker: Checker, tmp_path: Path) -> None:
    files, fixed, folder, control = race_setup(checker, tmp_path)
    (tmp_path / ".plainspeak.toml").write_text("")   # no config from outside the test
    shutil.copy(GLOSSARY, tmp_path / "glossary.yaml")
    cli = [sys.executable, "-m", "plainspeak"]
    names = sorted(files)
    commands = [[*cli, "fix", "--no-builtin-glossary", "--glossary",
                 str(tmp_path / "glossary.yaml"),
                 *[str(folder / n) for n in (names if i % 2 == 0 else names[::-1])]]
                for i in range(WORKERS)]
    assert run_race(folder, control, files, fixed, commands, None, rounds=2) == []

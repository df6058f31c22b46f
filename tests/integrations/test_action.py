"""The GitHub Action: action.yml is well formed, and its scripts work, run outside GitHub."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).parents[2]
ACTION = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
INPUT_REF = re.compile(r"\binputs\.([A-Za-z_][A-Za-z0-9_-]*)")
ONLY_INPUT = re.compile(r"^\$\{\{\s*inputs\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$")
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "plainspeak tests", "GIT_AUTHOR_EMAIL": "tests@plainspeak.invalid",
    "GIT_COMMITTER_NAME": "plainspeak tests", "GIT_COMMITTER_EMAIL": "tests@plainspeak.invalid",
}


def load_action() -> dict[str, Any]:
    data = yaml.safe_load(ACTION.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def strings(node: Any) -> Iterator[str]:
    """Every string inside a YAML node (keys and values), depth first."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from strings(key)
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def step(action: dict[str, Any], step_id: str) -> dict[str, Any]:
    for candidate in action["runs"]["steps"]:
        if candidate.get("id") == step_id:
            return dict(candidate)
    raise AssertionError(f"no step with id {step_id!r}")


# -- the file itself ----------------------------------------------------------------------


def test_required_keys() -> None:
    action = load_action()
    assert isinstance(action.get("name"), str) and action["name"]
    assert isinstance(action.get("description"), str) and action["description"]
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert isinstance(steps, list) and steps
    for each in steps:
        assert ("run" in each) != ("uses" in each), f"a step runs or uses, not both: {each}"
        if "run" in each:
            assert each.get("shell") == "bash", f"run steps need a shell: {each.get('name')}"
        assert each.get("name"), "every step has a name for the log"


def test_every_input_is_declared_described_and_used() -> None:
    action = load_action()
    declared = action["inputs"]
    for name, spec in declared.items():
        assert spec.get("description"), f"input {name} needs a description"
        assert "default" in spec or spec.get("required"), f"input {name} needs a default"
    used = {ref for text in strings(action["runs"]["steps"]) for ref in INPUT_REF.findall(text)}
    assert used == set(declared), (
        f"declared but unused: {sorted(set(declared) - used)}; "
        f"used but undeclared: {sorted(used - set(declared))}")


def test_expected_inputs() -> None:
    inputs = load_action()["inputs"]
    for name in ("paths", "version", "args", "fail-on", "sarif-file", "changed-files-only"):
        assert name in inputs


def test_inputs_reach_scripts_only_through_env() -> None:
    """An expression pasted into a script is a shell injection; env values are data."""
    for each in load_action()["runs"]["steps"]:
        if "run" in each:
            assert not EXPRESSION.search(each["run"]), f"expression in the script of {each['name']}"
            for key, value in each.get("env", {}).items():
                assert ONLY_INPUT.match(str(value)), f"{key}: env values are single inputs"


def test_outputs_come_from_steps_that_exist() -> None:
    action = load_action()
    ids = {each.get("id") for each in action["runs"]["steps"]}
    for name, spec in action["outputs"].items():
        match = re.fullmatch(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}", spec["value"])
        assert match, f"output {name} should be a step output"
        assert match.group(1) in ids
        assert f"{match.group(2)}=" in step(action, match.group(1))["run"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_scripts_are_valid_bash() -> None:
    for each in load_action()["runs"]["steps"]:
        if "run" in each:
            result = subprocess.run(["bash", "-n"], input=each["run"], text=True,
                                    capture_output=True)
            assert result.returncode == 0, result.stderr


# -- running the scripts as the runner would ---------------------------------------------


def step_env(action: dict[str, Any], step_id: str, inputs: Mapping[str, str]) -> dict[str, str]:
    """The step's env with each ``${{ inputs.x }}`` filled from inputs or the default."""
    declared = action["inputs"]
    unknown = set(inputs) - set(declared)
    assert not unknown, f"not inputs of the action: {unknown}"
    env: dict[str, str] = {}
    for key, value in step(action, step_id).get("env", {}).items():
        match = ONLY_INPUT.match(str(value))
        assert match
        name = match.group(1)
        env[key] = inputs.get(name, str(declared[name].get("default", "")))
    return env


def bin_dir(tmp: Path) -> Path:
    """A PATH entry where `python` and `plainspeak` are the interpreter running the tests."""
    folder = tmp / "bin"
    folder.mkdir(exist_ok=True)
    shims = {
        "python": f'#!/bin/sh\nexec "{sys.executable}" "$@"\n',
        "plainspeak": f"#!{sys.executable}\nimport sys\nfrom plainspeak.cli import main\n"
                      "sys.argv[0] = 'plainspeak'\nsys.exit(main())\n",
    }
    for name, text in shims.items():
        shim = folder / name
        shim.write_text(text, "utf-8")
        shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    return folder


def run_step(step_id: str, inputs: Mapping[str, str], *, cwd: Path, tmp: Path,
             github: Mapping[str, str] = {}, path: Path | None = None
             ) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run one step's script the way the runner runs `shell: bash`; return its outputs."""
    action = load_action()
    script = tmp / f"{step_id}.sh"
    script.write_text(step(action, step_id)["run"], "utf-8")
    output = tmp / f"{step_id}.output"
    output.write_text("", "utf-8")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GITHUB_", "INPUT_", "GIT_DIR", "GIT_INDEX", "GIT_WORK"))}
    scripts = sysconfig.get_path("scripts")
    env.update(GIT_IDENTITY, NO_COLOR="1", GITHUB_ACTIONS="true", GITHUB_OUTPUT=str(output),
               GITHUB_ACTION_PATH=str(ROOT), GITHUB_WORKSPACE=str(cwd),
               PATH=os.pathsep.join([str(path or bin_dir(tmp)), scripts, env.get("PATH", "")]))
    env.update(github)
    env.update(step_env(action, step_id, inputs))
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                            cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    outputs = dict(line.split("=", 1) for line in output.read_text("utf-8").splitlines() if line)
    return result, outputs


@pytest.mark.parametrize(("version", "spec"), [
    ("", str(ROOT)),
    ("0.1.0", "plainspeak==0.1.0"),
    ("v0.2.0rc1", "plainspeak==0.2.0rc1"),
    ("plainspeak>=0.2,<1", "plainspeak>=0.2,<1"),
    ("  0.1.0\n", "plainspeak==0.1.0"),
])
def test_install_step_installs_the_right_plainspeak(tmp_path: Path, version: str,
                                                    spec: str) -> None:
    """`version` picks what pip installs; empty means the action's own checkout."""
    fake = tmp_path / "fake"
    fake.mkdir()
    log = tmp_path / "pip.log"
    python = fake / "python"
    python.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{log}"\n', "utf-8")
    python.chmod(0o755)
    result, _ = run_step("install", {"version": version}, cwd=tmp_path, tmp=tmp_path, path=fake)
    assert result.returncode == 0, result.stderr
    args = log.read_text("utf-8").splitlines()
    assert args[:3] == ["-m", "pip", "install"]
    assert args[-1] == spec


# -- the check step, in a pull request of a content repository ----------------------------


def git(repo: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_IDENTITY)
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, text=True,
                          capture_output=True).stdout.strip()


@pytest.fixture()
def pull_request(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A site with one old jargon page on main and a branch that adds and edits pages."""
    repo = tmp_path / "site"
    (repo / "docs").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "docs" / "old.md").write_text("# Old\n\nService users get a care package.\n", "utf-8")
    (repo / "docs" / "edited.md").write_text("# Edited\n\nThis page is fine.\n", "utf-8")
    (repo / "docs" / "gone.md").write_text("# Gone\n\nA page that will go.\n", "utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "docs" / "edited.md").write_text(
        "# Edited\n\nThis page is fine.\n\nWe will signpost you to reablement.\n", "utf-8")
    (repo / "docs" / "new page.md").write_text("# New\n\nYour care package starts soon.\n",
                                               "utf-8")
    (repo / "docs" / "style.css").write_text("p { color: black }\n", "utf-8")
    (repo / "docs" / "gone.md").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "feature")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}}}), "utf-8")
    github = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event)}
    return repo, github


def annotated_files(stdout: str) -> set[str]:
    return set(re.findall(r"^::\w+ file=([^,]+),", stdout, re.MULTILINE))


@pytest.mark.slow
def test_annotates_only_changed_files(tmp_path: Path,
                                      pull_request: tuple[Path, dict[str, str]]) -> None:
    repo, github = pull_request
    result, outputs = run_step("check", {}, cwd=repo, tmp=tmp_path, github=github)
    assert result.returncode == 1, result.stdout + result.stderr
    assert annotated_files(result.stdout) == {"docs/edited.md", "docs/new page.md"}
    assert re.search(r"^::warning file=docs/new page\.md,line=3,", result.stdout, re.MULTILINE)
    assert outputs == {"changed-files": "2", "sarif-file": ""}


@pytest.mark.slow
def test_fail_on_and_args_reach_plainspeak(tmp_path: Path,
                                           pull_request: tuple[Path, dict[str, str]]) -> None:
    repo, github = pull_request
    result, _ = run_step("check", {"fail-on": "never"}, cwd=repo, tmp=tmp_path, github=github)
    assert result.returncode == 0, result.stdout + result.stderr
    assert annotated_files(result.stdout)
    (repo / "team.toml").write_text('allow = ["care package", "signpost", "reablement"]\n',
                                    "utf-8")
    result, _ = run_step("check", {"args": "--config 'team.toml'"}, cwd=repo, tmp=tmp_path,
                         github=github)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not annotated_files(result.stdout)


@pytest.mark.slow
def test_writes_sarif(tmp_path: Path, pull_request: tuple[Path, dict[str, str]]) -> None:
    repo, github = pull_request
    result, outputs = run_step("check", {"sarif-file": "plainspeak.sarif"}, cwd=repo,
                               tmp=tmp_path, github=github)
    assert result.returncode == 1, result.stdout + result.stderr
    assert outputs["sarif-file"] == "plainspeak.sarif"
    sarif = json.loads((repo / "plainspeak.sarif").read_text("utf-8"))
    assert sarif["version"] == "2.1.0"
    located = {loc["physicalLocation"]["artifactLocation"]["uri"]
               for run in sarif["runs"] for res in run["results"] for loc in res["locations"]}
    assert {uri.replace("%20", " ") for uri in located} == {"docs/edited.md", "docs/new page.md"}


@pytest.mark.slow
def test_every_file_when_not_changed_only(tmp_path: Path,
                                          pull_request: tuple[Path, dict[str, str]]) -> None:
    repo, github = pull_request
    result, outputs = run_step("check", {"changed-files-only": "false", "paths": "docs"},
                               cwd=repo, tmp=tmp_path, github=github)
    assert result.returncode == 1, result.stdout + result.stderr
    assert annotated_files(result.stdout) == {"docs/old.md", "docs/edited.md", "docs/new page.md"}
    assert "changed-files" not in outputs


@pytest.mark.slow
def test_nothing_to_check(tmp_path: Path, pull_request: tuple[Path, dict[str, str]]) -> None:
    """A pull request that changes no prose passes without running a check."""
    repo, github = pull_request
    result, outputs = run_step("check", {"paths": "src"}, cwd=repo, tmp=tmp_path,
                               github=github)
    assert result.returncode == 0, result.stdout + result.stderr
    assert outputs == {"changed-files": "0", "sarif-file": ""}


@pytest.mark.slow
def test_push_compares_with_the_commit_before(tmp_path: Path,
                                              pull_request: tuple[Path, dict[str, str]]) -> None:
    repo, github = pull_request
    before = git(repo, "rev-parse", "HEAD")
    (repo / "docs" / "later.txt").write_text("Service users get a care package.\n", "utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "later")
    event = tmp_path / "push.json"
    event.write_text(json.dumps({"before": before}), "utf-8")
    result, outputs = run_step("check", {}, cwd=repo, tmp=tmp_path, github={
        "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": str(event)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert annotated_files(result.stdout) == {"docs/later.txt"}
    assert outputs["changed-files"] == "1"


@pytest.mark.slow
def test_unbalanced_quotes_in_args_fail_clearly(
        tmp_path: Path, pull_request: tuple[Path, dict[str, str]]) -> None:
    repo, github = pull_request
    result, _ = run_step("check", {"args": "--config 'team.toml"}, cwd=repo, tmp=tmp_path,
                         github=github)
    assert result.returncode != 0
    assert "cannot split" in result.stderr


def test_the_readme_documents_every_input_and_a_working_example() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Use it in a content repository", 1)[1].split("\n## ", 1)[0]
    inputs = load_action()["inputs"]
    documented = set(re.findall(r"^\| `([\w-]+)`", section, re.MULTILINE))
    assert documented == set(inputs)
    workflows = [yaml.safe_load(block)
                 for block in re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)]
    workflow = next(w for w in workflows if isinstance(w, dict) and "jobs" in w)
    steps = workflow["jobs"]["plainspeak"]["steps"]
    ours = next(s for s in steps if str(s.get("uses", "")).split("@")[0].endswith("/plainspeak"))
    assert set(ours["with"]) <= set(inputs)
    outputs = re.findall(r"steps\.plainspeak\.outputs\.([\w-]+)", yaml.safe_dump(workflow))
    assert set(outputs) <= set(load_action()["outputs"])
    upload = next(s for s in steps if "upload-sarif" in str(s.get("uses", "")))
    assert upload["with"]["sarif_file"] == ours["with"]["sarif-file"]
    assert ours["with"]["sarif-file"] in upload["if"]

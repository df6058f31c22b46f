"""The pre-commit hooks, run by the real pre-commit against this checkout in a content repo.

pre-commit clones the hook repository at a commit and pip-installs it into a virtualenv
of its own, as it does for every user.  To test the working tree (committed or not), a
snapshot of it is committed to a temporary repository once per session, and pre-commit's
cache (``PRE_COMMIT_HOME``) lives for the session too, so the hook environment is built
once.  The virtualenv sees this interpreter's site-packages
(``VIRTUALENV_SYSTEM_SITE_PACKAGES``), so pip finds spaCy and the other dependencies
already installed and builds and installs only plainspeak itself; set
``PLAINSPEAK_HOOK_ISOLATED=1`` to build a fully isolated environment instead (slower;
every dependency comes from the package index).  When the tests run inside a virtualenv,
"system" means the interpreter that virtualenv was made from, so pip may have more to
install; the test is slower then, never wrong.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).parents[2]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "plainspeak tests", "GIT_AUTHOR_EMAIL": "tests@plainspeak.invalid",
    "GIT_COMMITTER_NAME": "plainspeak tests", "GIT_COMMITTER_EMAIL": "tests@plainspeak.invalid",
}
JARGON_PAGE = "# Getting help\n\nWe will visit you at home.\nService users get a care package.\n"
CLEAN_PAGE = "# Getting help\n\nWe will visit you at home.\nYou choose the help you get.\n"
FIXABLE_PAGE = "# Forms\n\nPlease utilise the form prior to the visit.\n"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def manifest() -> list[dict[str, Any]]:
    hooks = yaml.safe_load(MANIFEST.read_text("utf-8"))
    assert isinstance(hooks, list)
    return hooks


def hook(hook_id: str) -> dict[str, Any]:
    return next(h for h in manifest() if h["id"] == hook_id)


# -- the manifest, without running anything ------------------------------------------------


def test_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest  # type: ignore[import-untyped]

    hooks = load_manifest(str(MANIFEST))
    assert {h["id"] for h in hooks} == {"plainspeak", "plainspeak-fix", "plainspeak-docx"}


def test_hooks_run_one_process_over_many_files() -> None:
    """spaCy loads once per process: files are passed in, and not split across CPUs."""
    for each in manifest():
        assert each["language"] == "python"
        assert each.get("pass_filenames", True) is True
        assert each.get("require_serial") is True
        assert each["entry"].split()[:2] in (["plainspeak", "check"], ["plainspeak", "fix"])


def selected(hook_id: str, path: Path, **override: Any) -> bool:
    """Whether pre-commit would pass this file to the hook (its files/types/types_or rules),
    with a user's overrides from .pre-commit-config.yaml."""
    from identify.identify import tags_from_path

    spec = {**hook(hook_id), **override}
    tags = tags_from_path(str(path))
    if not re.search(spec.get("files", ""), path.as_posix()):
        return False
    if not set(spec.get("types", ["file"])) <= tags:
        return False
    types_or = spec.get("types_or", [])
    return not types_or or bool(set(types_or) & tags)


def make_file(folder: Path, name: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if name.lower().endswith(".docx"):
        from docx import Document

        document = Document()
        document.add_paragraph("Service users get a care package.")
        document.save(str(path))
    else:
        path.write_text("Service users get a care package.\n", "utf-8")
    return path


@pytest.mark.parametrize("name", ["a.md", "b.markdown", "c.html", "d.htm", "e.xhtml",
                                  "f.txt", "docs/Page.MD"])
def test_prose_files_go_to_the_check_and_fix_hooks(tmp_path: Path, name: str) -> None:
    path = make_file(tmp_path, name)
    assert selected("plainspeak", path)
    assert selected("plainspeak-fix", path)
    assert not selected("plainspeak-docx", path)


@pytest.mark.parametrize("name", ["setup.py", "config.yaml", "data.json", "site.css",
                                  "app.js", "letter.docx"])
def test_code_and_word_files_do_not_go_to_the_text_hooks(tmp_path: Path, name: str) -> None:
    path = make_file(tmp_path, name)
    assert not selected("plainspeak", path)
    assert not selected("plainspeak-fix", path)


def test_word_files_have_their_own_hook(tmp_path: Path) -> None:
    from identify.identify import tags_from_path

    letter = make_file(tmp_path, "letter.docx")
    assert "text" not in tags_from_path(str(letter))
    assert selected("plainspeak-docx", letter)
    assert not selected("plainspeak-docx", make_file(tmp_path, "notes.md"))


def readme_override() -> dict[str, Any]:
    """The plainspeak-fix override README.md gives for fixing Word files too."""
    blocks = re.findall(r"```yaml\n(.*?)```", readme_section(), re.DOTALL)
    block = next(b for b in blocks if "binary" in b)
    repos = yaml.safe_load(textwrap.dedent(block))
    spec = next(h for h in repos[0]["hooks"] if h["id"] == "plainspeak-fix")
    assert set(spec) == {"id", "types_or", "files"}
    return {k: v for k, v in spec.items() if k != "id"}


@pytest.mark.parametrize(("name", "chosen"), [
    ("letter.docx", True), ("Letter.DOCX", True), ("page.md", True), ("notes.txt", True),
    ("logo.png", False), ("setup.py", False), ("README", False)])
def test_the_readme_override_adds_word_files_to_a_hook(tmp_path: Path, name: str,
                                                       chosen: bool) -> None:
    path = make_file(tmp_path, name)
    assert selected("plainspeak-fix", path, **readme_override()) is chosen


# -- the real pre-commit --------------------------------------------------------------------


def clean_env() -> dict[str, str]:
    """This environment without any git state inherited from a hook that runs the tests."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "PRE_COMMIT", "VIRTUALENV_"))}
    env.update(GIT_IDENTITY, NO_COLOR="1", TERM="dumb")
    return env


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=clean_env(), check=True, text=True,
                          capture_output=True).stdout.strip()


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout's working tree committed to a throwaway repository: (path, sha)."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, env=clean_env(), check=True, capture_output=True).stdout
    for name in filter(None, listed.decode("utf-8").split("\0")):
        source = ROOT / name
        if source.is_file():  # tracked files deleted in the working tree are left out
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-q", "--no-verify", "-m", "snapshot of the working tree")
    return snapshot, git(snapshot, "rev-parse", "HEAD")


@pytest.fixture(scope="session")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = clean_env()
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    if os.environ.get("PLAINSPEAK_HOOK_ISOLATED") != "1":
        env["VIRTUALENV_SYSTEM_SITE_PACKAGES"] = "1"
    return env


@pytest.fixture()
def content_repo(tmp_path: Path, hook_repo: tuple[Path, str]) -> Path:
    """A content repository whose .pre-commit-config.yaml points at this checkout."""
    path, sha = hook_repo
    repo = tmp_path / "site"
    repo.mkdir()
    git(repo, "init", "-q")
    config = textwrap.dedent(f"""\
        repos:
          - repo: {path.as_posix()}
            rev: {sha}
            hooks:
              - id: plainspeak
              - id: plainspeak-fix
              - id: plainspeak-docx
        """)
    (repo / ".pre-commit-config.yaml").write_text(config, "utf-8")
    git(repo, "add", ".pre-commit-config.yaml")
    return repo


def pre_commit(repo: Path, env: dict[str, str], *args: str
               ) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, env=env,
                            capture_output=True, text=True, timeout=900)
    return result


def run_hook(repo: Path, env: dict[str, str], hook_id: str, *files: str
             ) -> subprocess.CompletedProcess[str]:
    return pre_commit(repo, env, "run", hook_id, "--color", "never", "--files", *files)


@pytest.fixture(scope="session")
def installed(pre_commit_env: dict[str, str], hook_repo: tuple[Path, str],
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Build the hook environment once and check it runs this checkout's plainspeak."""
    repo = tmp_path_factory.mktemp("warm-up")
    path, sha = hook_repo
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path.as_posix()}\n    rev: {sha}\n    hooks:\n"
        "      - id: plainspeak\n", "utf-8")
    result = pre_commit(repo, pre_commit_env, "install-hooks")
    assert result.returncode == 0, result.stdout + result.stderr
    home = Path(pre_commit_env["PRE_COMMIT_HOME"])
    pythons = list(home.glob("repo*/py_env-*/bin/python"))
    assert len(pythons) == 1, pythons
    where = subprocess.run([str(pythons[0]), "-c", "import plainspeak; print(plainspeak.__file__)"],
                           capture_output=True, text=True, env=clean_env(), check=True)
    # the hook's own install of the snapshot, not this interpreter's plainspeak
    assert Path(where.stdout.strip()).is_relative_to(home), where.stdout
    yield pre_commit_env


@pytest.mark.slow
@needs_git
def test_jargon_fails_and_names_the_term_and_line(content_repo: Path,
                                                  installed: dict[str, str]) -> None:
    (content_repo / "page.md").write_text(JARGON_PAGE, "utf-8")
    result = run_hook(content_repo, installed, "plainspeak", "page.md")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert re.search(r"page\.md:4:1: PS101\b", result.stdout), result.stdout
    assert "service users" in result.stdout.lower()
    assert re.search(r"page\.md:4:\d+: PS101\b.*care package", result.stdout, re.I)


@pytest.mark.slow
@needs_git
def test_a_clean_file_passes(content_repo: Path, installed: dict[str, str]) -> None:
    (content_repo / "page.md").write_text(CLEAN_PAGE, "utf-8")
    result = run_hook(content_repo, installed, "plainspeak", "page.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^plainspeak \(plain language\)\.+Passed$", result.stdout, re.MULTILINE)


@pytest.mark.slow
@needs_git
def test_fix_rewrites_and_fails_then_passes(content_repo: Path,
                                            installed: dict[str, str]) -> None:
    page = content_repo / "page.md"
    page.write_text(FIXABLE_PAGE, "utf-8")
    git(content_repo, "add", "page.md")  # pre-commit sees changes to tracked files
    first = run_hook(content_repo, installed, "plainspeak-fix", "page.md")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert page.read_text("utf-8") == "# Forms\n\nPlease use the form before the visit.\n"
    second = run_hook(content_repo, installed, "plainspeak-fix", "page.md")
    assert second.returncode == 0, second.stdout + second.stderr
    assert page.read_text("utf-8") == "# Forms\n\nPlease use the form before the visit.\n"


@pytest.mark.slow
@needs_git
def test_the_content_repos_own_config_is_honoured(content_repo: Path,
                                                  installed: dict[str, str]) -> None:
    """The site's .plainspeak.toml (or pyproject.toml) allows a term and adds a glossary."""
    (content_repo / "page.md").write_text("# Home\n\nAsk us about reablement.\n", "utf-8")
    before = run_hook(content_repo, installed, "plainspeak", "page.md")
    assert before.returncode == 1 and "reablement" in before.stdout, before.stdout
    (content_repo / ".plainspeak.toml").write_text('allow = ["reablement"]\n', "utf-8")
    after = run_hook(content_repo, installed, "plainspeak", "page.md")
    assert after.returncode == 0, after.stdout + after.stderr

    (content_repo / "terms").mkdir()
    (content_repo / "terms" / "team.yaml").write_text(textwrap.dedent("""\
        version: 1
        entries:
          - id: hub-team
            term: hub team
            category: social-care
            alternatives: [our advice team]
            explanation: The people who answer calls and emails about care.
            examples:
              flag: [Call the hub team.]
        """), "utf-8")
    (content_repo / ".plainspeak.toml").write_text(
        'allow = ["reablement"]\nglossaries = ["terms/team.yaml"]\n', "utf-8")
    (content_repo / "page.md").write_text(
        "# Home\n\nAsk us about reablement.\nOr call the hub team.\n", "utf-8")
    team = run_hook(content_repo, installed, "plainspeak", "page.md")
    assert team.returncode == 1, team.stdout + team.stderr
    assert re.search(r"page\.md:4:\d+: PS101\b.*hub team", team.stdout, re.I), team.stdout
    assert "reablement" not in team.stdout

    # the same settings can live in pyproject.toml instead
    (content_repo / ".plainspeak.toml").unlink()
    (content_repo / "pyproject.toml").write_text(
        '[project]\nname = "site"\n\n[tool.plainspeak]\nallow = ["reablement"]\n', "utf-8")
    pyproject = run_hook(content_repo, installed, "plainspeak", "page.md")
    assert pyproject.returncode == 0, pyproject.stdout + pyproject.stderr


@pytest.mark.slow
@needs_git
def test_many_files_in_one_run(content_repo: Path, installed: dict[str, str]) -> None:
    names = []
    for n in range(12):
        name = f"page{n:02}.md"
        (content_repo / name).write_text(JARGON_PAGE if n % 3 == 0 else CLEAN_PAGE, "utf-8")
        names.append(name)
    result = run_hook(content_repo, installed, "plainspeak", *names)
    assert result.returncode == 1, result.stdout + result.stderr
    flagged = set(re.findall(r"(page\d\d\.md):4:1: PS101", result.stdout))
    assert flagged == {"page00.md", "page03.md", "page06.md", "page09.md"}
    # one plainspeak process, so one summary: without require_serial pre-commit would
    # split the files over one process per CPU, each loading spaCy and printing its own
    summaries = re.findall(r"^(?:Found \d+ problems?|No problems)\b", result.stdout, re.M)
    assert len(summaries) == 1, result.stdout


@pytest.mark.slow
@needs_git
def test_word_documents_through_their_own_hook(content_repo: Path,
                                               installed: dict[str, str]) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("Service users get a care package.")
    document.save(str(content_repo / "letter.docx"))
    (content_repo / "page.md").write_text(CLEAN_PAGE, "utf-8")
    git(content_repo, "add", "letter.docx", "page.md")
    result = pre_commit(content_repo, installed, "run", "--all-files", "--color", "never")
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^plainspeak \(plain language\)\.+Passed$", result.stdout, re.MULTILINE)
    assert re.search(r"^plainspeak \(Word documents\)\.+Failed$", result.stdout, re.MULTILINE)
    assert "letter.docx" in result.stdout


@pytest.mark.slow
@needs_git
def test_the_commit_is_stopped(content_repo: Path, installed: dict[str, str]) -> None:
    """Installed as a git hook, it stops a commit that adds jargon and lets a fixed one in."""
    assert pre_commit(content_repo, installed, "install").returncode == 0
    (content_repo / "page.md").write_text(JARGON_PAGE, "utf-8")
    git(content_repo, "add", "page.md")
    env = {**installed, "PRE_COMMIT_COLOR": "never"}
    blocked = subprocess.run(["git", "commit", "-m", "add page"], cwd=content_repo, env=env,
                             capture_output=True, text=True, timeout=900)
    assert blocked.returncode != 0
    assert "page.md:4:1: PS101" in blocked.stdout + blocked.stderr
    (content_repo / "page.md").write_text(CLEAN_PAGE, "utf-8")
    git(content_repo, "add", "page.md")
    allowed = subprocess.run(["git", "commit", "-m", "add page"], cwd=content_repo, env=env,
                             capture_output=True, text=True, timeout=900)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def readme_section() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    return readme.split("## Use it in a content repository", 1)[1].split("\n## ", 1)[0]


def test_the_readme_config_to_copy_names_these_hooks() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", readme_section(), re.DOTALL)
    config = yaml.safe_load(blocks[0])
    hooks = config["repos"][0]["hooks"]
    assert [h["id"] for h in hooks] == ["plainspeak", "plainspeak-fix", "plainspeak-docx"]
    assert {h["id"] for h in manifest()} == {h["id"] for h in hooks}

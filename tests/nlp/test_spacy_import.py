"""plainspeak imports spaCy without spaCy's CLI, and leaves spaCy whole for everyone else."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


def test_checking_does_not_import_spacy_cli() -> None:
    out = run_python("""
        import sys
        from plainspeak import check
        assert [f.text for f in check("Your care package starts.").findings] == ["care package"]
        print("spacy" in sys.modules, "spacy.cli" in sys.modules, "requests" in sys.modules)
    """)
    assert out == "True False False"


def test_spacy_stays_whole_after_plainspeak_imports_it() -> None:
    out = run_python("""
        import sys
        from plainspeak.nlp.spacy_import import import_spacy
        spacy = import_spacy()
        import spacy.cli
        from spacy.cli.info import info
        assert spacy.cli.__file__.endswith("__init__.py") and callable(spacy.cli.setup_cli)
        data = spacy.info(markdown=False, silent=True)
        print(type(data).__name__, data["spacy_version"] == spacy.__version__,
              spacy.blank("en")("a b").text)
    """)
    assert out == "dict True a b"


def test_spacy_already_imported_is_returned_as_is() -> None:
    out = run_python("""
        import spacy, spacy.cli
        from plainspeak.nlp.spacy_import import import_spacy
        print(import_spacy() is spacy, spacy.cli.__file__.endswith("__init__.py"))
    """)
    assert out == "True True"

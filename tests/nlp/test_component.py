"""The spaCy component, found through the entry point as other people's pipelines would."""

from __future__ import annotations

from pathlib import Path

import spacy

DATA = Path(__file__).parents[1] / "data"


def test_add_pipe_by_name_puts_spans_on_the_doc() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("plainspeak", config={"glossaries": [str(DATA / "engine-glossary.yaml")],
                                       "builtin_glossary": False})
    doc = nlp("Service users met the steering group about their personal budget.")
    assert [(s.text, s.label_) for s in doc._.jargon] == [
        ("Service users", "service-user"), ("steering group", "steering-group"),
        ("personal budget", "personal-budget")]
    assert doc._.jargon[0]._.glossary_entry.alternatives[0] == "person who uses services"
    assert list(doc.spans["plainspeak"]) == doc._.jargon

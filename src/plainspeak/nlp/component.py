"""The ``plainspeak`` spaCy component, for people who already have a spaCy pipeline.

    nlp = spacy.blank("en")          # or any English pipeline
    nlp.add_pipe("plainspeak")       # found through the spacy_factories entry point
    doc = nlp("Service users joined the steering group.")
    [(span.text, span._.glossary_entry.alternatives) for span in doc._.jargon]

In the style of spaCy's SpanRuler: keyword-only settings, patterns built with the
tokenizer only, matches in ``doc.spans[spans_key]`` and on ``doc._.jargon``.  The glossary
is loaded from files named in the config, never inlined into it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc, Span

from plainspeak.glossary.loader import load_glossary
from plainspeak.nlp.pipeline import GlossaryMatcher

if TYPE_CHECKING:
    from plainspeak.glossary.model import Glossary

DEFAULT_SPANS_KEY = "plainspeak"


def _register_extensions() -> None:
    if not Doc.has_extension("jargon"):
        Doc.set_extension("jargon", default=None)
    if not Span.has_extension("glossary_entry"):
        Span.set_extension("glossary_entry", default=None)


class PlainspeakComponent:
    """Marks glossary terms in a Doc: longest match wins, no overlaps."""

    def __init__(self, nlp: Language, name: str = "plainspeak", *,
                 glossaries: Sequence[str] = (), builtin_glossary: bool = True,
                 spans_key: str = DEFAULT_SPANS_KEY, glossary: Glossary | None = None) -> None:
        _register_extensions()
        self.name = name
        self.spans_key = spans_key
        self.glossary = glossary or load_glossary(*glossaries, builtin=builtin_glossary)
        self.matcher = GlossaryMatcher(self.glossary, nlp)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end, entry in self.matcher.spans(doc):
            span = Span(doc, start, end, label=entry.id)
            span._.glossary_entry = entry
            spans.append(span)
        doc.spans[self.spans_key] = spans
        doc._.jargon = list(spans)
        return doc


@Language.factory(
    "plainspeak",
    default_config={"glossaries": [], "builtin_glossary": True,
                    "spans_key": DEFAULT_SPANS_KEY},
)
def make_plainspeak(nlp: Language, name: str, glossaries: list[str],
                    builtin_glossary: bool, spans_key: str) -> PlainspeakComponent:
    """The factory behind ``nlp.add_pipe("plainspeak", config={...})``."""
    return PlainspeakComponent(nlp, name, glossaries=glossaries,
                               builtin_glossary=builtin_glossary, spans_key=spans_key)

"""Inline directives in a format's own comments, one grammar for every format:

    <!-- plainspeak-disable PS101 service-user -- quoting the council's own name -->
    <!-- plainspeak-enable -->
    <!-- plainspeak-disable-next-line -->
    <!-- plainspeak-disable-file PS2 -->

Codes, prefixes, rule names and glossary ids may follow the directive; none means all.
Text after `--` is the reason and is ignored.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from plainspeak.formats.base import Comment, SourceDocument
from plainspeak.models import Finding
from plainspeak.rules import matches_selector

_DIRECTIVE = re.compile(
    r"^\s*plainspeak-(disable-next-line|disable-file|disable|enable)\b(.*)$", re.DOTALL
)


@dataclass(slots=True)
class Directive:
    """One directive and the source range it covers."""

    kind: str
    targets: tuple[str, ...]
    start: int              # the comment's own span, for reporting it
    end: int
    covers_from: int
    covers_to: int
    used: int = 0
    line: int = 0

    def applies(self, finding: Finding) -> bool:
        if not self.covers_from <= finding.start < self.covers_to:
            return False
        if not self.targets:
            return True
        return matches_selector(finding.rule, self.targets) or (
            finding.entry_id is not None and finding.entry_id in self.targets)


def parse(comment: Comment) -> tuple[str, tuple[str, ...]] | None:
    """(kind, targets) for a plainspeak directive comment, else None."""
    m = _DIRECTIVE.match(comment.text)
    if not m:
        return None
    rest = m.group(2).split("--", 1)[0]
    targets = tuple(t for t in re.split(r"[\s,]+", rest.strip()) if t)
    return m.group(1), targets


@dataclass(slots=True)
class Suppressions:
    """The directives of one document."""

    directives: list[Directive] = field(default_factory=list)

    @classmethod
    def of(cls, doc: SourceDocument) -> Suppressions:
        directives: list[Directive] = []
        open_regions: list[Directive] = []
        n = len(doc.source)
        for comment in sorted(doc.comments, key=lambda c: c.start):
            parsed = parse(comment)
            if parsed is None:
                continue
            kind, targets = parsed
            line = doc.position(comment.start)[0]
            if kind == "disable-file":
                directives.append(Directive(kind, targets, comment.start, comment.end, 0, n,
                                            line=line))
            elif kind == "disable-next-line":
                end_line = doc.position(comment.end)[0]
                starts = doc.line_starts
                begin = starts[end_line] if end_line < len(starts) else n
                stop = starts[end_line + 1] if end_line + 1 < len(starts) else n
                directives.append(Directive(kind, targets, comment.start, comment.end,
                                            begin, stop, line=line))
            elif kind == "disable":
                region = Directive(kind, targets, comment.start, comment.end, comment.end, n,
                                   line=line)
                directives.append(region)
                open_regions.append(region)
            else:  # enable closes the regions it names (or all)
                for region in list(open_regions):
                    if not targets or set(region.targets) & set(targets) or not region.targets:
                        region.covers_to = comment.start
                        open_regions.remove(region)
        return cls(directives)

    def filter(self, findings: Iterable[Finding]) -> tuple[list[Finding], int]:
        """The findings no directive covers, and how many were suppressed.

        Each finding is credited to the first directive (in document order) that covers
        it.  Findings are swept in offset order against only the directives whose range
        has begun and not ended, so a file of thousands of ``disable-next-line``
        comments costs thousands of steps, not millions (it was quadratic)."""
        items = list(findings)
        directives = self.directives
        by_start = sorted(range(len(directives)), key=lambda k: directives[k].covers_from)
        active: list[int] = []      # indexes of directives in force, in document order
        nxt = 0
        hits: dict[int, Directive] = {}
        for i in sorted(range(len(items)), key=lambda k: items[k].start):
            start = items[i].start
            while nxt < len(by_start) and directives[by_start[nxt]].covers_from <= start:
                bisect.insort(active, by_start[nxt])
                nxt += 1
            active = [k for k in active if directives[k].covers_to > start]
            hit = next((directives[k] for k in active if directives[k].applies(items[i])),
                       None)
            if hit is not None:
                hits[i] = hit
        kept: list[Finding] = []
        for i, finding in enumerate(items):
            hit = hits.get(i)
            if hit is None:
                kept.append(finding)
            else:
                hit.used += 1
        return kept, len(hits)

    def unused(self) -> list[Directive]:
        return [d for d in self.directives if not d.used]

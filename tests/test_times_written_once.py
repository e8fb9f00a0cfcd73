"""Times are written one way everywhere: by the school's clock (conferbook.lib.clock),
"9:38 AM" or "09:38", on pages, in PDFs and in messages. A template or module that formats
an hour itself would print a third way, so none may (machine formats for form inputs and
file names aside)."""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "conferbook"
# A datetime-local input's value, e.g. 2026-12-08T10:15, is for the browser, not a person.
MACHINE_FORMATS = {"Y-m-d\\TH:i", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y%m%d-%H%M%S"}
TEMPLATE_FORMAT = re.compile(r"\|(?:date|time):(['\"])(.*?)\1")


def test_no_template_writes_an_hour_itself():
    found = []
    for path in SOURCE.rglob("*.html"):
        for match in TEMPLATE_FORMAT.finditer(path.read_text()):
            fmt = match.group(2)
            if re.search(r"(?<!\\)[gGhHiaAP]", fmt) and fmt not in MACHINE_FORMATS:
                found.append(f"{path.relative_to(SOURCE)}: {fmt}")
    assert not found, "use |clock, |when or |long_when: " + "; ".join(found)


def _strings(path: Path) -> list[str]:
    with path.open("rb") as source:
        return [
            token.string
            for token in tokenize.tokenize(source.readline)
            if token.type == tokenize.STRING
        ]


def test_no_module_writes_an_hour_itself():
    found = []
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts or path.name == "clock.py":
            continue
        for literal in _strings(path):
            writes_hour = re.search(r"%[HIp]|\bg:i\b|\bH:i\b", literal)
            machine = any(fmt in literal for fmt in MACHINE_FORMATS)
            if writes_hour and not machine and "__str__" not in literal:
                found.append(f"{path.relative_to(SOURCE)}: {literal[:60]}")
    assert not found, "write times with conferbook.lib.clock: " + "; ".join(found)

"""Text clean-up shared by the apps. No Django here."""

from __future__ import annotations

import re
import unicodedata

# Explicit direction embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069):
# in a name they only ever reverse the text around it ("Zoe‮gnp.exe").
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean_name(value: str) -> str:
    """A name as typed, without direction controls, in composed (NFC) form, trimmed."""
    return unicodedata.normalize("NFC", BIDI_CONTROLS.sub("", value)).strip()

"""Conventions: sentences that start in lower case, sentences with no end mark, a lower-case
"i", spacing around punctuation and very long run-on sentences, each flag on the exact
characters, with the rate of each kind per 100 words.

Written for precision: titles, the "Dear ...," of a letter, its sign-off ("Love, / Jo"),
headings and list lines are never flagged, and a sentence wrapped over two lines is one
sentence (see text.py).
"""

from __future__ import annotations

import re

from conferbook.analysis.text import CLOSERS, END_MARKS, Sentence, Text, sign_off
from conferbook.analysis.types import ConventionFlag

KINDS = {
    "lowercase-start": "lowercase_start",
    "no-end-punctuation": "no_end_punctuation",
    "lowercase-i": "lowercase_i",
    "spacing": "spacing",
    "run-on": "run_on",
}
RUN_ON_WORDS = 40
RUN_ON_JOINS = 3
RUN_ON_ALWAYS = 70  # a sentence this long is a run-on whatever joins it
JOINS = frozenset({"and", "then", "so", "but"})
LOWERCASE_I = frozenset({"i", "i'm", "i'll", "i've", "i'd"})
# Space before a mark that is followed by a space or the end: "fun ." / "dogs , cats".
SPACE_BEFORE = re.compile(r"(?<=\w)[ \t]+[,.!?;](?=[ \t\n]|$)")
# No space after a comma, or after an end mark before a capitalised word: "cats,dogs",
# "home.Then". Not "U.S.", "3.5", "www.site.com" or "e.g." (lower case after a full stop).
NO_SPACE_AFTER = re.compile(r"\b[^\W\d_]{2,}(?:,[^\W\d_]{2,}|[.!?][A-Z][a-z]+)\b")
OPENERS = CLOSERS + "\u201c\u2018\u00ab("
LIST_LINE = re.compile(r"[ \t]*(?:[-*•]|\d+[.)])\s")


def check(doc: Text) -> tuple[list[ConventionFlag], dict[str, float]]:
    """The convention flags of the text and the rate of each kind per 100 words."""
    flags: list[ConventionFlag] = []
    closing = sign_off(doc)
    for index, sentence in enumerate(doc.sentences):
        if index in closing or _is_heading(doc, sentence):
            continue
        flags.extend(_sentence_flags(doc, sentence))
    flags.extend(_lowercase_i(doc))
    flags.extend(_spacing(doc))
    flags.sort(key=lambda f: (f.start, f.end))
    per = 100 / max(len(doc.words), 1)
    rates = {
        name: round(sum(1 for f in flags if f.kind == kind) * per, 2)
        for kind, name in KINDS.items()
    }
    return flags, rates


def _flag(doc: Text, start: int, end: int, kind: str, message: str) -> ConventionFlag:
    return ConventionFlag(start, end, doc.raw[start:end], kind, message)


def _is_heading(doc: Text, sentence: Sentence) -> bool:
    """A short line without a verb's end mark that reads as a heading or a list item:
    "Where Owls Live", "- apples"."""
    if LIST_LINE.match(doc.raw, _line_start(doc.raw, sentence.start)):
        return True
    if sentence.ending == "mark":
        return False
    words = doc.sentence_words(sentence)
    if not words or len(words) > 6:
        return False
    long_words = [w for w in words if len(w.text) > 3]
    return len(long_words) >= 2 and all(w.text[:1].isupper() for w in long_words)


def _line_start(raw: str, offset: int) -> int:
    return raw.rfind("\n", 0, offset) + 1


def _sentence_flags(doc: Text, sentence: Sentence) -> list[ConventionFlag]:
    flags = []
    tokens = doc.sentence_tokens(sentence)
    words = [t for t in tokens if t.is_word]
    first = next((t for t in tokens if t.kind != "punct" or t.text not in OPENERS), None)
    # A lower-case start: the first word of the sentence (after an opening quote).
    if first is not None and first.is_word and _starts_lower(first.text):
        flags.append(
            _flag(
                doc,
                first.start,
                first.end,
                "lowercase-start",
                "This sentence starts with a small letter.",
            )
        )
    # No end mark: the sentence stops at a line break or at the end of the text.
    last = tokens[-1]
    ends_marked = last.text in END_MARKS or (
        last.text in CLOSERS and len(tokens) > 1 and tokens[-2].text in END_MARKS
    )
    if not ends_marked and last.text not in ",:;" and words and sentence.ending != "mark":
        target = words[-1] if last.kind == "punct" else last
        flags.append(
            _flag(
                doc,
                target.start,
                last.end,
                "no-end-punctuation",
                "No end mark after this sentence.",
            )
        )
    # A run-on: very long, joined again and again with "and", "then", "so".
    joins = sum(1 for w in words[1:] if w.lower in JOINS)
    if len(words) > RUN_ON_ALWAYS or (len(words) > RUN_ON_WORDS and joins >= RUN_ON_JOINS):
        flags.append(
            _flag(
                doc,
                sentence.start,
                sentence.end,
                "run-on",
                f"A very long sentence ({len(words)} words, joined {joins} times "
                "with and, then or so).",
            )
        )
    return flags


def _starts_lower(word: str) -> bool:
    """A word written with a small first letter and no capital inside ("iPad" is a
    name, not a missing capital)."""
    return word[:1].islower() and word == word.lower() and word[:1].isalpha()


def _lowercase_i(doc: Text) -> list[ConventionFlag]:
    return [
        _flag(doc, t.start, t.start + 1, "lowercase-i", "“I” is always a capital letter.")
        for t in doc.words
        if t.text[:1] == "i" and t.lower in LOWERCASE_I
    ]


def _spacing(doc: Text) -> list[ConventionFlag]:
    flags = []
    for pattern, message in (
        (SPACE_BEFORE, "No space goes before this mark."),
        (NO_SPACE_AFTER, "A space goes after this mark."),
    ):
        for match in pattern.finditer(doc.raw):
            around = doc.raw[max(match.start() - 8, 0) : match.end() + 8].lower()
            if pattern is NO_SPACE_AFTER and ("www" in around or "http" in around or "@" in around):
                continue  # an address: "www.school.org", "jo@home"
            flags.append(_flag(doc, match.start(), match.end(), "spacing", message))
    return flags

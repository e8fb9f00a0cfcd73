"""Craft signals: dialogue, sensory detail, similes, transitions, paragraphing, sentence
variety, the lead and the ending, repeated sentence openings, vocabulary and inner
thinking. Each signal names the sentences that show it (at most three, the clearest
first), as spans of the text as typed.

Each detector is written for precision: a signal is only reported when the words make it
plain, because the teacher will read the evidence to a child.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Callable, Collection, Iterable

from conferbook.analysis import wordlists
from conferbook.analysis.text import END_MARKS, Sentence, Text, sign_off
from conferbook.analysis.types import Signal, Span

MAX_EVIDENCE = 3
QUOTE = re.compile(r"[\"“”„«»]")
DOUBLE_QUOTED = re.compile(r"[\"“„«]([^\"“”„«»\n]{1,400})[\"”»]")
SINGLE_QUOTED = re.compile(
    r"(?:^|(?<=[\s(]))[\u2018']([^'\u2018\u2019\n]{1,300}?[,.!?])[\u2019'](?!\w)"
)
# Speech without quotation marks: 'Mom said, come here' / 'he yelled stop!'.
SPEECH_VERB = "|".join(sorted(wordlists.SPEECH_VERBS, key=len, reverse=True))
UNQUOTED_SPEECH = re.compile(
    rf"\b(?:{SPEECH_VERB})\b(?:[,:]\s+\w|\s+(?:[^\s.!?\"“”]+\s+){{0,3}}[^\s.!?\"“”]+[!?]$)",
    re.IGNORECASE,
)
NOT_SIMILE_BEFORE = wordlists.words(
    "i you we they people kids don't dont didn't didnt do does did would i'd we'd you'd "
    "they'd really also to not still who that just even would've things something "
    "anything nothing stuff"
)
AS_NOT_SIMILE = wordlists.words("soon well much many long far good often")
COLORS = wordlists.words("red blue green yellow black white brown gray grey")
THINKING = re.compile(
    r"\b(?:i|he|she|we|they)\s+(?:thought|wondered|wished|hoped|imagined|"
    r"said to (?:myself|himself|herself)|asked (?:myself|himself|herself)|"
    r"kept thinking|was thinking|realized|realised)\b",
    re.IGNORECASE,
)
SOUND_LEAD = re.compile(r"^[\"“]?(?:[A-Za-z]+[-!,. ]*){1,3}!")
PARAGRAPH_WORDS = 150
# Sentences start on these all the time: only a majority of them is a pattern.
PLAIN_OPENERS = wordlists.words("i we it the he she they my a")
NEW_PART = (
    "then",
    "next",
    "after that",
    "the next day",
    "later",
    "finally",
    "another",
    "also",
    "in conclusion",
    "first",
    "second",
    "third",
    "meanwhile",
    "one reason",
    "another reason",
)


def signals(doc: Text, *, slips: Collection[int] = ()) -> list[Signal]:
    """The craft signals of the text. `slips`: where the words the spelling check flags
    start; their meaning is in doubt ("me and my dad wet to the lake"), so no sense or
    choice of word is read from them."""
    body = _body(doc)
    found: list[Signal] = []
    for detector in DETECTORS:
        found.extend(detector(doc, body))
    doubtful = frozenset(slips)
    found.extend(sensory(doc, body, doubtful))
    found.extend(vocabulary(doc, body, doubtful))
    order = {key: i for i, key in enumerate(ORDER)}
    return sorted(found, key=lambda signal: order[signal.key])


def _body(doc: Text) -> list[Sentence]:
    """The sentences of the piece, without a letter's sign-off."""
    closing = sign_off(doc)
    return [s for i, s in enumerate(doc.sentences) if i not in closing]


def _words(doc: Text, sentence: Sentence) -> list[str]:
    return [w.lower for w in doc.sentence_words(sentence)]


def _phrase_at(words: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(words[i : i + len(phrase)]) == phrase


def _evidence(sentences: Iterable[Sentence | Span]) -> tuple[Span, ...]:
    seen: list[Span] = []
    for sentence in sentences:
        span = sentence if isinstance(sentence, Span) else sentence.span()
        if span not in seen:
            seen.append(span)
        if len(seen) == MAX_EVIDENCE:
            break
    return tuple(seen)


# --- dialogue -------------------------------------------------------------------------


def dialogue(doc: Text, body: list[Sentence]) -> list[Signal]:
    spoken: list[tuple[int, Sentence]] = []
    unquoted: list[Span] = []
    quotes = [
        (m.start(), m.end(), m.group(1))
        for pattern in (DOUBLE_QUOTED, SINGLE_QUOTED)
        for m in pattern.finditer(doc.raw)
    ]
    for sentence in body:
        words = set(_words(doc, sentence))
        said = bool(words & wordlists.SPEECH_VERBS)
        inside = [q for q in quotes if q[0] < sentence.end and q[1] > sentence.start]
        speech = [
            q for q in inside if said or q[2].rstrip()[-1:] in ",.!?" or len(q[2].split()) >= 4
        ]
        if speech:
            spoken.append((0 if said else 1, sentence))
        elif not QUOTE.search(sentence.text) and UNQUOTED_SPEECH.search(sentence.text):
            unquoted.append(sentence.span())
    # '"Stop!" yelled Mom' without the quotation marks reads as two sentences: "Stop!"
    # and "yelled Mom." — a sentence that opens on a speech verb after a ! or ?.
    for before, sentence in itertools.pairwise(body):
        opening = _words(doc, sentence)
        if (
            opening
            and opening[0] in wordlists.SPEECH_VERBS
            and doc.sentence_tokens(sentence)[0].text[:1].islower()
            and before.text.rstrip()[-1:] in "!?"
            and not QUOTE.search(before.text + sentence.text)
            and len(opening) <= 4
        ):
            unquoted.append(doc.span(before.start, sentence.end))
    found = []
    if spoken:
        spoken.sort(key=lambda pair: pair[0])
        found.append(
            Signal(
                "dialogue",
                "Uses dialogue",
                True,
                _evidence(s for _, s in spoken),
                f"{len(spoken)} sentences with speech in quotation marks",
            )
        )
    if unquoted:
        unquoted.sort(key=lambda s: s.start)
        found.append(
            Signal(
                "dialogue-without-quotes",
                "Dialogue without quotation marks",
                False,
                _evidence(unquoted),
                f"{len(unquoted)} places where someone speaks with no quotation marks",
            )
        )
    return found


# --- sensory detail -------------------------------------------------------------------


def _senses(words: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for word in words:
        for sense, vocabulary in wordlists.SENSES.items():
            if word in vocabulary:
                counts[sense] += 1
        if word in COLORS:
            counts["sight"] += 1
    return counts


def sensory(doc: Text, body: list[Sentence], slips: frozenset[int] = frozenset()) -> list[Signal]:
    total: Counter[str] = Counter()
    scored = []
    for sentence in body:
        # a capitalised word inside a sentence is part of a name ("Green Hill Farm")
        tokens = doc.sentence_words(sentence)
        counts = _senses(
            [
                t.lower
                for k, t in enumerate(tokens)
                if (k == 0 or not t.text[:1].isupper()) and t.start not in slips
            ]
        )
        if counts:
            total.update(counts)
            scored.append((-len(counts), -sum(counts.values()), sentence.start, sentence))
    if sum(total.values()) < 2:
        return []
    scored.sort(key=lambda item: item[:3])
    detail = ", ".join(f"{sense} {total[sense]}" for sense in wordlists.SENSES if total[sense])
    return [
        Signal(
            "sensory-detail", "Uses sensory details", True, _evidence(s[3] for s in scored), detail
        )
    ]


# --- figurative language --------------------------------------------------------------


def similes(doc: Text, body: list[Sentence]) -> list[Signal]:
    found = []
    for sentence in body:
        words = _words(doc, sentence)
        for i, word in enumerate(words):
            like = (
                word == "like"
                and 0 < i < len(words) - 1
                and words[i + 1] in {"a", "an", "the"}
                and words[i - 1] not in NOT_SIMILE_BEFORE
                and not _phrase_at(words, i + 1, ("a", "lot"))
            )
            as_as = (
                word == "as"
                and i + 3 < len(words)
                and words[i + 2] == "as"
                and words[i + 1] not in AS_NOT_SIMILE
                and words[i + 3] in {"a", "an", "the"}
            )
            if like or as_as:
                found.append(sentence)
                break
    if not found:
        return []
    count = f"{len(found)} simile{'' if len(found) == 1 else 's'}"
    return [Signal("simile", "Uses a simile", True, _evidence(found), count)]


# --- transitions ----------------------------------------------------------------------


def _transitions(words: list[str]) -> list[tuple[str, str, int]]:
    """(function, phrase, word index) of each transition in a sentence's words."""
    found: list[tuple[str, str, int]] = []
    for function, phrases in wordlists.TRANSITIONS.items():
        for phrase in phrases:
            parts = tuple(phrase.split())
            for i in range(len(words)):
                if not _phrase_at(words, i, parts):
                    continue
                if phrase in wordlists.TRANSITIONS_ONLY_AT_START and i != 0:
                    continue
                if phrase == "next" and words[i + 1 : i + 2] == ["time"]:
                    continue  # "Next time you see a bee, ..." points ahead, links nothing
                if any(
                    f[2] == i and len(f[1]) > len(phrase) and f[1].startswith(phrase) for f in found
                ):
                    continue  # "after" inside "after that"
                found.append((function, phrase, i))
    return found


def transitions(doc: Text, body: list[Sentence]) -> list[Signal]:
    by_function: dict[str, set[str]] = {}
    openers: list[tuple[int, str, Sentence]] = []
    time_words: set[str] = set()
    time_sentences: list[Sentence] = []
    for sentence in body:
        words = _words(doc, sentence)
        found = _transitions(words)
        for function, phrase, _ in found:
            by_function.setdefault(function, set()).add(phrase)
        starts = [f for f in found if f[2] == 0 and f[1] not in {"then", "but", "so", "and"}]
        if starts:
            openers.append((0, starts[0][0], sentence))
        elif any(f[1] not in {"then", "but", "so"} for f in found):
            openers.append((1, found[0][0], sentence))
        time_at_start = {f[1] for f in found if f[0] == "time" and f[2] == 0}
        if time_at_start - time_words:
            time_sentences.append(sentence)
        time_words |= time_at_start
    result = []
    distinct = {p for phrases in by_function.values() for p in phrases} - {"then", "but", "so"}
    if len(distinct) >= 3 and len(by_function) >= 2 and openers:
        # The clearest first, one of each function before a second of any.
        openers.sort(key=lambda item: (item[0], item[2].start))
        fresh: list[tuple[int, str, Sentence]] = []
        for item in openers:
            if item[1] not in {f[1] for f in fresh}:
                fresh.append(item)
        openers = fresh + [o for o in openers if o not in fresh]
        detail = ", ".join(
            f"{function} ({', '.join(sorted(by_function[function]))})" for function in by_function
        )
        result.append(
            Signal(
                "transitions",
                "Uses transition words",
                True,
                _evidence(item[2] for item in openers),
                detail,
            )
        )
    if len(time_words - {"then", "suddenly", "soon"}) >= 2 and len(time_words) >= 3:
        result.append(
            Signal(
                "time-order",
                "Tells it in order with time words",
                True,
                _evidence(time_sentences),
                ", ".join(sorted(time_words)),
            )
        )
    return result


# --- paragraphs -----------------------------------------------------------------------


def paragraphs(doc: Text, body: list[Sentence]) -> list[Signal]:
    words = len(doc.words)
    count = len(doc.paragraphs)
    if count >= 3 and words >= 80:
        firsts = [doc.sentences[p.sentences[0]] for p in doc.paragraphs]
        return [
            Signal(
                "paragraphs",
                "Groups sentences into paragraphs",
                True,
                _evidence(firsts[1:] + firsts[:1]),
                f"{count} paragraphs, {words} words",
            )
        ]
    if count <= 1 and words >= PARAGRAPH_WORDS and len(body) >= 6:
        # Where a new paragraph could start: a sentence in the middle opening a new part.
        places = [
            s
            for s in body[2:-1]
            if any(_phrase_at(_words(doc, s), 0, tuple(p.split())) for p in NEW_PART)
        ]
        if places:
            return [
                Signal(
                    "paragraphs",
                    "One long block with no paragraphs",
                    False,
                    _evidence(places),
                    f"1 paragraph, {words} words",
                )
            ]
    return []


# --- sentence variety and repeated openings -------------------------------------------


def variety(doc: Text, body: list[Sentence]) -> list[Signal]:
    lengths = [(len(doc.sentence_words(s)), s) for s in body if doc.sentence_words(s)]
    if len(lengths) < 5:
        return []
    spread = statistics.pstdev(n for n, _ in lengths)
    short = [pair for pair in lengths if 2 <= pair[0] <= 5 and pair[1].text[-1:] in END_MARKS]
    long = [pair for pair in lengths if pair[0] >= 15 and pair[0] <= 40]
    if spread >= 5 and short and long:
        short.sort(key=lambda pair: pair[0])
        long.sort(key=lambda pair: -pair[0])
        pair = sorted([short[0][1], long[0][1]], key=lambda s: s.start)
        return [
            Signal(
                "sentence-variety",
                "Varies sentence length",
                True,
                _evidence(pair),
                f"sentences of {min(n for n, _ in lengths)} to {max(n for n, _ in lengths)} "
                f"words (spread {spread:.1f})",
            )
        ]
    sizes = [n for n, _ in lengths]
    if len(lengths) >= 7 and spread < 1.5 and max(sizes) - min(sizes) <= 4:
        return [
            Signal(
                "sentence-variety",
                "Sentences all about the same length",
                False,
                _evidence(s for _, s in lengths[:3]),
                f"{len(lengths)} sentences, spread {spread:.1f} words",
            )
        ]
    return []


def openings(doc: Text, body: list[Sentence]) -> list[Signal]:
    firsts: dict[str, list[Sentence]] = {}
    for sentence in body:
        words = _words(doc, sentence)
        if not words:
            continue
        key = "then" if words[:2] == ["and", "then"] else words[0]
        firsts.setdefault(key, []).append(sentence)
    if len(body) < 4:
        return []
    worst = max(firsts.items(), key=lambda item: len(item[1]), default=None)
    if worst is None:
        return []
    word, repeated = worst
    share = len(repeated) / len(body)
    if word not in wordlists.COMMON_WORDS or len(repeated) < 3:
        return []  # "Owls ... Owls ... Owls" in a report names its topic
    if share < (0.5 if word in PLAIN_OPENERS else 0.3):
        return []
    shown = doc.raw[repeated[0].start : repeated[0].start + len(word)] if word != "then" else "Then"
    return [
        Signal(
            "repeated-openings",
            "Many sentences start the same way",
            False,
            _evidence(repeated),
            f"{len(repeated)} of {len(body)} sentences start with “{shown}”",
        )
    ]


# --- the lead and the ending ----------------------------------------------------------


def _plain(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    return " ".join(re.findall(r"[^\W_]+(?:'[^\W_]+)?", text))


def lead(doc: Text, body: list[Sentence]) -> list[Signal]:
    if len(body) < 3:
        return []
    first = body[0]
    plain = _plain(first.text)
    for formula in wordlists.FORMULAIC_LEADS:
        if formula == "my name is" and doc.greeting is not None:
            continue  # a letter to someone who does not know the writer starts so
        if plain == formula or plain.startswith(formula + " "):
            return [
                Signal(
                    "lead",
                    "Starts with a formula",
                    False,
                    (first.span(),),
                    _shorten(first.text, len(formula.split())),
                )
            ]
    if doc.greeting is not None:
        return []
    how = ""
    if QUOTE.search(first.text) and DOUBLE_QUOTED.search(first.text + '"'):
        how = "starts with someone talking"
    elif first.text.rstrip(" \"\u201d'\u2019").endswith("?") and not plain.startswith(
        "how are you"
    ):
        how = "starts with a question to the reader"
    elif SOUND_LEAD.match(first.text) and len(plain.split()) <= 3:
        how = "starts with a sound or an action"
    if not how:
        return []
    shown = first.span()
    if len(plain.split()) <= 2 and len(body) > 1:
        shown = doc.span(first.start, body[1].end)  # "Crunch! I stepped on the snow."
    return [Signal("lead", "Starts with a strong lead", True, (shown,), how)]


def _shorten(text: str, words: int) -> str:
    return " ".join(text.split()[:words]) + "…"


def ending(doc: Text, body: list[Sentence]) -> list[Signal]:
    if len(body) < 4 or doc.greeting is not None:
        return []  # a letter ends with its news and a sign-off
    last = body[-1]
    tail = _plain(" ".join(s.text for s in body[-2:]))
    for formula in wordlists.FORMULAIC_ENDINGS:
        if tail == formula or tail.endswith(" " + formula):
            shown = last if len(_plain(last.text).split()) >= len(formula.split()) else body[-2]
            return [
                Signal(
                    "ending", "Ends with a formula", False, _evidence([shown, last]), f"“{formula}”"
                )
            ]
    for sentence in reversed(body[-2:]):
        plain = f" {_plain(sentence.text)} "
        reflective = any(f" {p} " in plain for p in wordlists.REFLECTIVE_PHRASES)
        words = set(plain.split())
        feeling = bool(words & {"i", "we", "i'm", "me", "my"}) and bool(
            words & wordlists.FEELING_WORDS
        )
        if reflective or feeling:
            return [
                Signal(
                    "ending",
                    "Ends with a feeling or a thought",
                    True,
                    (sentence.span(),),
                    "a reflective ending" if reflective else "ends on a feeling",
                )
            ]
    return []


# --- words ----------------------------------------------------------------------------


def vocabulary(
    doc: Text, body: list[Sentence], slips: frozenset[int] = frozenset()
) -> list[Signal]:
    chosen: set[str] = set()
    scored = []
    for sentence in body:
        vivid = {
            w.lower
            for w in doc.sentence_words(sentence)
            if w.lower in wordlists.VIVID_WORDS and w.text == w.lower and w.start not in slips
        }
        if vivid:
            chosen |= vivid
            scored.append((-len(vivid), sentence.start, sentence))
    words = [w.lower for w in doc.words]
    if len(chosen) < 2 or len(words) < 20:
        return []
    scored.sort(key=lambda item: item[:2])
    window = words[:100]
    detail = (
        f"{', '.join(sorted(chosen)[:6])}; "
        f"{len(set(window))} different words in the first {len(window)}"
    )
    return [
        Signal("vocabulary", "Chooses precise words", True, _evidence(s[2] for s in scored), detail)
    ]


def thinking(doc: Text, body: list[Sentence]) -> list[Signal]:
    found = [s for s in body if THINKING.search(s.text)]
    if not found:
        return []
    return [
        Signal(
            "inner-thinking",
            "Tells what a character is thinking",
            True,
            _evidence(found),
            f"{len(found)} sentences",
        )
    ]


# The detectors that read only the text; `sensory` and `vocabulary` also read the slips.
DETECTORS: tuple[Callable[[Text, list[Sentence]], list[Signal]], ...] = (
    lead,
    dialogue,
    similes,
    thinking,
    transitions,
    variety,
    openings,
    paragraphs,
    ending,
)
# The order signals are listed in.
ORDER = (
    "lead",
    "dialogue",
    "dialogue-without-quotes",
    "sensory-detail",
    "simile",
    "inner-thinking",
    "transitions",
    "time-order",
    "vocabulary",
    "sentence-variety",
    "repeated-openings",
    "paragraphs",
    "ending",
)

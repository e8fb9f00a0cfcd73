"""Numbers that describe a piece of writing, for the estimates (`estimates.py`).

Each feature is a plain measure a teacher could check by hand: how many words, how long
the sentences are and how much that varies, how many different words, how long they are,
the flags and craft signals found per 100 words, the paragraphs, the punctuation used, the
linking words. They are computed from the text model and the other detectors' output, so
the estimates move with what the teacher is shown.

Every feature has a plain name (`NAMES`) so the estimates can say which ones moved them.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence

from conferbook.analysis.text import Text
from conferbook.analysis.types import ConventionFlag, Signal, SpellingFlag


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Linking words and phrases (one or two words), written for this project.
CONNECTIVES = _words(
    """
    also although because besides but consequently finally first firstly furthermore
    however instead lastly meanwhile moreover nevertheless next otherwise second secondly
    similarly since so then therefore though thus unless whereas while yet afterwards
    additionally overall ultimately hence specifically likewise
    """
)
CONNECTIVE_PAIRS = frozenset(
    {
        ("for", "example"),
        ("for", "instance"),
        ("in", "addition"),
        ("in", "conclusion"),
        ("as", "well"),
        ("even", "though"),
        ("on", "the"),  # "on the other hand" (counted by its start)
        ("in", "contrast"),
        ("as", "a"),  # "as a result"
        ("such", "as"),
        ("in", "fact"),
        ("to", "sum"),
    }
)
SUBORDINATORS = _words(
    "although because if since unless until when whenever whereas whether while which who "
    "whom whose where that"
)
# Words a writer leans on when a more exact one would do.
PLAIN_WORDS = _words("good bad nice thing things stuff lot very really big get got like kind")
INFORMAL = _words("u ur r gonna wanna gotta ya cuz bc thru tho kinda lol ok okay")
# Contractions written without their apostrophe ("dont", "im").
BARE_CONTRACTIONS = _words(
    "dont cant wont didnt doesnt isnt wasnt werent arent couldnt shouldnt wouldnt im ive "
    "youre theyre thats whats lets hes shes theres wouldve couldve shouldve"
)
# Agreement slips, written for this project: "he have", "they has", "people is".
SINGULAR_SUBJECTS = _words("he she it this that everyone everybody someone somebody nobody")
BASE_VERBS = _words(
    "have do don't dont are were go want need make like say think get know feel help take"
)
PLURAL_SUBJECTS = _words("i you we they people students kids children parents")
S_VERBS = _words(
    "has does doesn't doesnt is goes wants needs makes likes says thinks gets knows feels "
    "helps takes"
)
MODALS = _words("can could will would should must may might")
AFTER_MODAL_SLIPS = _words("to is are was were has does goes")
# Nouns learners often make plural ("informations"), and "more" + a comparative.
WRONG_PLURALS = _words(
    "peoples informations advices knowledges homeworks furnitures childs mans womans "
    "stuffs equipments"
)
A_BEFORE_VOWEL_OK = _words(
    "one once uni unit unique university use used user useful usual usually euro european"
)
AN_BEFORE_CONSONANT_OK = _words("hour hours honest honestly honor honour heir")
# Common words: how often each is used says something of the writer's phrasing.
FUNCTION_WORDS = sorted(
    _words(
        "the a of to in it is that this people think will can they we my not be have more "
        "would which there their very because"
    )
)
PUNCTUATION = ",;:?!'\"()-\u2019\u201c\u201d"
WINDOW = 50  # words, for the moving type/token ratio

# The spelling and convention kinds the detectors report (see types.py).
SPELLING_KINDS = ("non-word", "real-word", "split", "merged", "apostrophe", "verb-form")
CONVENTION_KINDS = ("lowercase-start", "no-end-punctuation", "lowercase-i", "spacing", "run-on")

NAMES: dict[str, str] = {
    "words": "length (words, log)",
    "sentences": "number of sentences (log)",
    "sentence_length": "mean sentence length",
    "sentence_spread": "variety of sentence length",
    "long_sentences": "share of sentences over 30 words",
    "short_sentences": "share of sentences under 6 words",
    "type_token": "different words (moving type/token ratio)",
    "root_type_token": "different words for the length (types / root of words)",
    "word_length": "mean word length",
    "word_length_spread": "variety of word length",
    "long_words": "share of words of 7 letters or more",
    "very_long_words": "share of words of 10 letters or more",
    "paragraphs": "number of paragraphs (log)",
    "paragraph_length": "sentences per paragraph",
    "commas": "commas per 100 words",
    "punctuation_variety": "kinds of punctuation used",
    "questions": "questions and exclamations per 100 words",
    "connectives": "linking words per 100 words",
    "connective_starts": "share of sentences opened by a linking word",
    "subordinators": "joining words (because, which, when...) per 100 words",
    "plain_words": "plain words (good, thing, very...) per 100 words",
    "informal": "texting words (u, gonna...) per 100 words",
    "bare_contractions": "contractions without an apostrophe per 100 words",
    "lowercase_i": 'a lower-case "i" per 100 words',
    "lowercase_starts": "share of sentences starting in lower case",
    "unended": "share of sentences without an end mark",
    "space_before": "spaces before a comma or full stop per 100 words",
    "no_space_after": "no space after a comma or full stop per 100 words",
    "capitals_inside": "capitals in the middle of a sentence per 100 words",
    "all_caps": "words in capitals per 100 words",
    "repeated_words": 'words written twice running ("the the") per 100 words',
    "repeated_openings": "share of sentences opening like the one before",
    "i_rate": '"I" per 100 words',
    "you_rate": '"you" per 100 words',
    "and_rate": '"and" per 100 words',
    "agreement": 'agreement slips ("he have", "they has") per 100 words',
    "after_modal": 'slips after can/should ("can to", "should is") per 100 words',
    "articles": '"a" before a vowel or "an" before a consonant per 100 words',
    "wrong_plurals": '"informations", "more better" and the like per 100 words',
    "words_squared": "length (words, log, squared)",
    **{f"word_{w}": f'"{w}" per 100 words' for w in FUNCTION_WORDS},
    "signals_present": "craft moves found",
    "signals_missing": "craft concerns found",
    **{f"spelling_{k}": f"{k} spelling flags per 100 words" for k in SPELLING_KINDS},
    **{f"conventions_{k}": f"{k} flags per 100 words" for k in CONVENTION_KINDS},
}


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _spread(values: Sequence[float]) -> float:
    if len(values) < 2:
        return 0.0
    mean = _mean(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _moving_type_token(words: Sequence[str]) -> float:
    """The mean type/token ratio over windows of WINDOW words (length does not move it)."""
    if len(words) <= WINDOW:
        return len(set(words)) / len(words) if words else 0.0
    counts = Counter(words[:WINDOW])
    total = len(counts)
    for i in range(WINDOW, len(words)):
        counts[words[i]] += 1
        old = words[i - WINDOW]
        counts[old] -= 1
        if not counts[old]:
            del counts[old]
        total += len(counts)
    return total / (len(words) - WINDOW + 1)


def features(
    doc: Text,
    *,
    spelling: Sequence[SpellingFlag] = (),
    conventions: Sequence[ConventionFlag] = (),
    signals: Sequence[Signal] = (),
) -> dict[str, float]:
    """The features of one text, by the keys of NAMES (every key present, all finite)."""
    raw = doc.raw
    words = doc.words
    lowered = [w.lower for w in words]
    n = max(len(words), 1)
    per = 100 / n
    sentence_words = [doc.sentence_words(s) for s in doc.sentences]
    lengths = [len(ws) for ws in sentence_words if ws]
    n_sentences = max(len(lengths), 1)
    letters = [len(w.text) for w in words]
    counts = Counter(lowered)

    connectives = sum(1 for w in lowered if w in CONNECTIVES) + sum(
        1 for a, b in itertools.pairwise(lowered) if (a, b) in CONNECTIVE_PAIRS
    )
    openers = [ws[0].lower for ws in sentence_words if ws]
    connective_starts = sum(1 for w in openers if w in CONNECTIVES)
    repeated_openings = sum(1 for a, b in itertools.pairwise(openers) if a == b)

    puncts = [t for t in doc.tokens if t.kind == "punct"]
    used = {t.text for t in puncts if t.text in PUNCTUATION}
    used |= {"'"} if any("'" in w.text or "\u2019" in w.text for w in words) else set()

    lowercase_starts = 0
    for ws in sentence_words:
        if ws and ws[0].text[:1].islower():
            lowercase_starts += 1
    unended = sum(1 for s in doc.sentences if s.ending != "mark")
    space_before = sum(
        1 for t in puncts if t.text in ",." and t.start > 0 and raw[t.start - 1] == " "
    )
    no_space_after = sum(
        1
        for t in puncts
        if t.text in ",." and t.end < len(raw) and raw[t.end].isalpha() and t.start > 0
    )
    sentence_firsts = {ws[0].start for ws in sentence_words if ws}
    # A capital mid-sentence on a word the writer also writes in lower case ("the Dog").
    written_lower = {w.lower for w in words if w.text[:1].islower()}
    capitals_inside = sum(
        1
        for w in words
        if w.text[:1].isupper()
        and w.start not in sentence_firsts
        and not (doc.title and doc.title.start <= w.start < doc.title.end)
        and w.lower not in {"i", "i'm", "i've", "i'll", "i'd"}
        and w.lower in written_lower
    )
    all_caps = sum(1 for w in words if len(w.text) > 1 and w.text.isupper())
    repeated = sum(1 for a, b in itertools.pairwise(lowered) if a == b)

    pairs = list(itertools.pairwise(lowered))
    agreement = sum(
        1
        for a, b in pairs
        if (a in SINGULAR_SUBJECTS and b in BASE_VERBS) or (a in PLURAL_SUBJECTS and b in S_VERBS)
    )
    after_modal = sum(
        1
        for a, b in pairs
        if a in MODALS and (b in AFTER_MODAL_SLIPS or (b.endswith("ing") and len(b) > 5))
    )
    articles = sum(
        1
        for a, b in pairs
        if (a == "a" and b[:1] in "aeiou" and b not in A_BEFORE_VOWEL_OK)
        or (a == "an" and b[:1] not in "aeiouh" and b not in AN_BEFORE_CONSONANT_OK)
    )
    wrong_plurals = sum(1 for w in lowered if w in WRONG_PLURALS) + sum(
        1 for a, b in pairs if a == "more" and b.endswith("er") and len(b) > 4
    )
    spelled = Counter(f.kind for f in spelling)
    flagged = Counter(f.kind for f in conventions)
    values: dict[str, float] = {
        "words": math.log1p(len(words)),
        "sentences": math.log1p(len(lengths)),
        "sentence_length": _mean(lengths),
        "sentence_spread": _spread(lengths),
        "long_sentences": sum(1 for x in lengths if x > 30) / n_sentences,
        "short_sentences": sum(1 for x in lengths if x < 6) / n_sentences,
        "type_token": _moving_type_token(lowered),
        "root_type_token": len(counts) / math.sqrt(n),
        "word_length": _mean(letters),
        "word_length_spread": _spread(letters),
        "long_words": sum(1 for x in letters if x >= 7) / n,
        "very_long_words": sum(1 for x in letters if x >= 10) / n,
        "paragraphs": math.log1p(len(doc.paragraphs)),
        "paragraph_length": len(lengths) / max(len(doc.paragraphs), 1),
        "commas": sum(1 for t in puncts if t.text == ",") * per,
        "punctuation_variety": float(len(used)),
        "questions": sum(1 for t in puncts if t.text in "?!") * per,
        "connectives": connectives * per,
        "connective_starts": connective_starts / n_sentences,
        "subordinators": sum(1 for w in lowered if w in SUBORDINATORS) * per,
        "plain_words": sum(1 for w in lowered if w in PLAIN_WORDS) * per,
        "informal": sum(1 for w in lowered if w in INFORMAL) * per,
        "bare_contractions": sum(1 for w in lowered if w in BARE_CONTRACTIONS) * per,
        "lowercase_i": sum(1 for w in words if w.text == "i") * per,
        "lowercase_starts": lowercase_starts / n_sentences,
        "unended": unended / max(len(doc.sentences), 1),
        "space_before": space_before * per,
        "no_space_after": no_space_after * per,
        "capitals_inside": capitals_inside * per,
        "all_caps": all_caps * per,
        "repeated_words": repeated * per,
        "repeated_openings": repeated_openings / n_sentences,
        "i_rate": counts["i"] * per,
        "you_rate": counts["you"] * per,
        "and_rate": counts["and"] * per,
        "agreement": agreement * per,
        "after_modal": after_modal * per,
        "articles": articles * per,
        "wrong_plurals": wrong_plurals * per,
        "words_squared": math.log1p(len(words)) ** 2,
        **{f"word_{w}": counts[w] * per for w in FUNCTION_WORDS},
        "signals_present": float(sum(1 for s in signals if s.present)),
        "signals_missing": float(sum(1 for s in signals if not s.present)),
    }
    for kind in SPELLING_KINDS:
        values[f"spelling_{kind}"] = spelled[kind] * per
    for kind in CONVENTION_KINDS:
        values[f"conventions_{kind}"] = flagged[kind] * per
    return values


def of_text(raw: str, *, names: frozenset[str] = frozenset()) -> dict[str, float]:
    """The features of a raw text, running the detectors as `analyse` does (for fitting
    and evaluating the estimates without computing them)."""
    from conferbook.analysis import conventions as conventions_module
    from conferbook.analysis import craft, spelling
    from conferbook.analysis.text import parse

    doc = parse(raw)
    flags, _ = conventions_module.check(doc)
    spelled = spelling.check(doc, names=names)
    return features(
        doc,
        spelling=spelled,
        conventions=flags,
        signals=craft.signals(doc, slips=[f.start for f in spelled]),
    )

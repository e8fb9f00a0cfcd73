"""Real-word errors by the company a word keeps: a word is read against the words next to
it, and a look-alike that fits them far better is proposed ("we wet down" -> "went").

The counts are the English word and word-pair (bigram) lists shipped inside `symspellpy`
(MIT; Google Books Ngram counts intersected with SCOWL, see data/LICENSES.md), read as
files. The pair list keeps only pairs seen at least `PAIR_FLOOR` times; a pair that is
not in it gets a guess below that floor (see `pair_count`).

A look-alike comes from one of three places, each with its own bar (`BARS`, chosen by
leave-one-writer-out cross-validation in `bench/eval_spelling.py --cv`):

- "set": the sound-alike and verb-form sets written for this project
  (data/spelling_sets.txt: there/their/they're, go/went/got, ...);
- "form": the same word as one or as many (boy/boys, baby/babies);
- "near": a common word one letter away (wet/went, sill/still).

Precision comes first, so the bars are high: most slips stay unflagged, and a flag means
the words around it make the reading plain.
"""

from __future__ import annotations

import importlib.util
import math
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from conferbook.analysis.wordlists import words as wordlist

DATA = Path(__file__).parent / "data"
PAIR_FLOOR = 6_400_000
# How much better (natural log of the odds) the look-alike must fit its neighbours (for
# a near word, after the cost of the slip). Chosen on all the Holbrook development
# passages by the procedure `bench/eval_spelling.py --cv` scores leave-one-writer-out,
# which picks 6 for "set"; 7 ships, one step toward precision (0.004 of F1 there), since
# a wrong flag in front of a child costs more than a missed one.
BARS = {"set": 7.0, "form": 9.0, "near": 6.0}
# A "near" look-alike is one of this many most frequent words.
COMMON_WORDS = 2_500
# Never proposed, whatever the counts say: words a child should not be handed by a
# spelling check (the counts come from books of every kind).
NEVER_PROPOSED = wordlist(
    """
    fuck fucking fucked shit shitty piss pissed porn sex sexy bitch bastard damn crap
    arse ass dick cock tits slut whore rape raped hell
    """
)
# A regular verb's past and -ing forms are each seen at least this often.
VERB_FORM_COUNT = 300_000
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ENDINGS = ("s", "es")


def _symspell_file(name: str) -> Path:
    spec = importlib.util.find_spec("symspellpy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the symspellpy package (its word lists) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / name


@cache
def words() -> dict[str, int]:
    """The word list: word -> count (lower case)."""
    counts: dict[str, int] = {}
    with _symspell_file("frequency_dictionary_en_82_765.txt").open(encoding="utf-8") as f:
        for line in f:
            word, _, count = line.partition(" ")
            counts[word] = int(count)
    return counts


@cache
def _pairs() -> dict[str, int]:
    counts: dict[str, int] = {}
    with _symspell_file("frequency_bigramdictionary_en_243_342.txt").open(encoding="utf-8") as f:
        for line in f:
            first, second, count = line.split()
            counts[f"{first} {second}"] = int(count)
    return counts


@cache
def _total() -> int:
    return sum(words().values())


@cache
def _common() -> frozenset[str]:
    ranked = sorted(words().items(), key=lambda item: -item[1])
    return frozenset(w for w, _ in ranked[:COMMON_WORDS] if len(w) > 1)


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [row for line in lines if (row := line.split("#", 1)[0].split())]


@cache
def _sets() -> dict[str, frozenset[str]]:
    """word -> the other words of its sound-alike sets. The forms of one verb are not a
    set: "I keep checking" and "I kept checking" are both right, and counts of pairs
    cannot choose a tense (the grammar rules in spelling.py catch "he look")."""
    found: dict[str, set[str]] = {}
    for members in _rows("spelling_sets.txt"):
        for word in members:
            found.setdefault(word, set()).update(m for m in members if m != word)
    return {word: frozenset(others) for word, others in found.items()}


class Verb(NamedTuple):
    base: str
    third: str  # he/she/it ...
    past: str
    participle: str
    ing: str


@cache
def _irregular() -> dict[str, Verb]:
    return {row[0]: Verb(*row) for row in _rows("spelling_verbs.txt") if len(row) == 5}


@lru_cache(maxsize=20_000)
def verb(word: str) -> Verb | None:
    """The forms of `word` when it is the base form of a verb ("look", "go"), else None.
    A word counts as a verb when its regular past and -ing forms are common words."""
    irregular = _irregular()
    if word in irregular:
        return irregular[word]
    counts = words()
    if len(word) < 3 or word not in counts or word.endswith(("ed", "ing")):
        return None
    if word.endswith(("s", "x", "z", "ch", "sh", "o")):
        third = word + "es"
    elif word.endswith("y") and word[-2] not in "aeiou":
        third = word[:-1] + "ies"
    else:
        third = word + "s"
    doubled = word + word[-1]
    if word.endswith("e"):
        past, ing = word + "d", word[:-1] + "ing"
    elif word.endswith("y") and word[-2] not in "aeiou":
        past, ing = word[:-1] + "ied", word + "ing"
    elif doubled + "ed" in counts and counts[doubled + "ed"] > counts.get(word + "ed", 0):
        past, ing = doubled + "ed", doubled + "ing"
    else:
        past, ing = word + "ed", word + "ing"
    if counts.get(past, 0) < VERB_FORM_COUNT or counts.get(ing, 0) < VERB_FORM_COUNT:
        return None
    return Verb(word, third, past, past, ing)


def pair_count(first: str, second: str) -> float:
    """How often `second` follows `first`: the listed count, or, for a pair the list
    leaves out (seen fewer than PAIR_FLOOR times), a guess between what independence
    predicts and that floor (their geometric mean: independence alone would make every
    unlisted pair of a rare word look impossible, "quiet so", "fifth grader")."""
    listed = _pairs().get(f"{first} {second}")
    if listed:
        return float(listed)
    counts = words()
    guess = counts.get(first, 1) * counts.get(second, 1) / _total()
    return min(PAIR_FLOOR / 2, math.sqrt(max(guess, 1.0) * PAIR_FLOOR / 2))


def listed_pair(first: str, second: str) -> bool:
    """Whether the pair is common in English (in the pair list)."""
    return f"{first} {second}" in _pairs()


def fit(before: str, word: str, after: str) -> float:
    """How well `word` fits between its neighbours ("" for none): the log of
    count(word) x P(before | word) x P(after | word), up to terms that do not depend on
    `word`."""
    score = 0.0
    if before:
        score += math.log(pair_count(before, word)) - math.log(words()[word])
    if after:
        score += math.log(pair_count(word, after))
    return score


@lru_cache(maxsize=20_000)
def look_alikes(word: str) -> tuple[tuple[str, str], ...]:
    """The words `word` may have been written for, each with where it comes from ("set",
    "form" or "near")."""
    counts = words()
    found: dict[str, str] = {}
    for other in _sets().get(word, ()):
        found.setdefault(other, "set")
    for other in _forms(word):
        found.setdefault(other, "form")
    common = _common()
    for other in _one_letter_away(word):
        if other in common:
            found.setdefault(other, "near")
    found.pop(word, None)
    return tuple(
        sorted(
            (w, kind)
            for w, kind in found.items()
            if w in counts and "'" not in w and w not in NEVER_PROPOSED
        )
    )


def _forms(word: str) -> set[str]:
    """The word as one or as many ("boy"/"boys", "baby"/"babies"). Not its tenses:
    "look" and "looked" are both right in most places, and pair counts cannot choose."""
    forms = {word + ending for ending in ENDINGS}
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            forms.add(word[: -len(ending)])
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    return forms


def _one_letter_away(word: str) -> set[str]:
    found: set[str] = set()
    for k in range(len(word) + 1):
        head, tail = word[:k], word[k:]
        found.update(head + letter + tail for letter in LETTERS)
        if tail:
            found.add(head + tail[1:])
            found.update(head + letter + tail[1:] for letter in LETTERS)
        if len(tail) > 1:
            found.add(head + tail[1] + tail[0] + tail[2:])
    return found


def gains(before: str, word: str, after: str) -> dict[str, tuple[float, str]]:
    """For each place look-alikes come from, the one that fits the neighbours best and by
    how much (natural log) it fits better than `word`. Empty when `word` is not a listed
    word or has no listed neighbour."""
    counts = words()
    if word not in counts or "'" in word:
        return {}  # the pair list has no "it's", "we're": their pairs cannot be judged
    before = before if before in counts and "'" not in before else ""
    after = after if after in counts and "'" not in after else ""
    if not before and not after:
        return {}
    own = fit(before, word, after)
    best: dict[str, tuple[float, str]] = {}
    for other, kind in look_alikes(word):
        gain = fit(before, other, after) - own
        if kind == "near":
            # a letter left out is a likelier slip than a wrong one: "I sill have" is
            # "still", though "will" fits a little better, and "a new kite for" is not
            # "site" however common "new site" is
            gain -= _slip_cost(word, other)
        if kind not in best or gain > best[kind][0]:
            best[kind] = (gain, other)
    return best


def _slip_cost(word: str, other: str) -> float:
    """How unlikely the slip from `other` to `word` is (natural log, roughly): a letter
    left out or added is the usual slip, two letters swapped less so, a wrong letter
    least, and a wrong first letter rarer still."""
    cost = 0.0 if len(word) != len(other) else 1.0
    if len(word) == len(other) and sorted(word) != sorted(other):
        cost = 2.0
    return cost + (3.0 if word[:1] != other[:1] else 0.0)


def suspect(before: str, word: str, after: str) -> tuple[str, str] | None:
    """(the meant word, where it comes from) when a look-alike fits the neighbours so much
    better than `word` that `word` is most likely a slip for it; else None."""
    over = [
        (gain - BARS[kind], other, kind)
        for kind, (gain, other) in gains(before, word, after).items()
        if gain > BARS[kind]
    ]
    if not over:
        return None
    _, other, kind = max(over)
    return other, kind

"""Spelling: non-word errors against a dictionary, real-word errors (sound-alike rules,
the grammar of a verb, and look-alikes that fit the neighbouring words far better, see
context.py), split and merged words, and missing apostrophes.

The dictionary is the English word-frequency list shipped by `symspellpy` (MIT; built
from SCOWL and Google Books Ngram counts, see data/LICENSES.md), read as a file by
context.py: no code of that package runs. Everything else here (the extra words, the
confusion rules, the split and merged pairs) was written for this project.

Precision comes first: a wrong flag in front of a child costs trust, so a real-word error
is flagged only where the words around it make the reading clear.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

from conferbook.analysis import context
from conferbook.analysis.text import Text, Token
from conferbook.analysis.types import SpellingFlag

DATA = Path(__file__).parent / "data"


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# A base-list word counts as known from this many occurrences in the source counts. The
# rarest words of the list are mostly archaic forms that children write by mistake.
MIN_COUNT = 100_000
# From this length on, every word of the base list is known: slips that made it into the
# book counts are short ("wen", "thier"), its rare long words are words ("gamekeeper").
LONG_WORD = 7
# Dictionary words that in children's writing are nearly always a misspelling.
NOT_WORDS = _set("wot wen wer thay ment tho thru wat dose alot")

# Contractions written with an apostrophe that are words.
CONTRACTIONS = _set(
    """
    don't doesn't didn't can't couldn't won't wouldn't shouldn't isn't aren't wasn't
    weren't haven't hasn't hadn't mustn't needn't mightn't shan't ain't i'm you're we're
    they're who're what're i've you've we've they've could've would've should've
    might've must've who've i'll you'll he'll she'll it'll we'll they'll that'll
    there'll who'll i'd you'd he'd she'd it'd we'd they'd who'd that'd there'd let's
    y'all o'clock ma'am c'mon 'em
    """
)
# The same written without the apostrophe: flagged as kind "apostrophe". Not "cant",
# "wont" as a noun is rare for a child but "lets", "ill", "well", "were", "shed", "wed",
# "hell", "id", "its" are words (its/it's is left to the context rules).
NO_APOSTROPHE = {
    w.replace("'", ""): w
    for w in _set(
        """
        don't doesn't didn't couldn't wouldn't shouldn't isn't aren't wasn't weren't
        haven't hasn't hadn't mustn't won't i'm i've you're they're that's what's
        there's here's where's who's he's she's you've we've they've you'll they'll
        it'll you'd they'd could've would've should've
        """
    )
}
NO_APOSTROPHE["im"] = "I'm"
NO_APOSTROPHE["ive"] = "I've"

SUBJECTS = _set("i you he she we they it")
PRONOUNS_PLURAL = _set("we they you")
DETERMINERS = _set(
    """
    the a an my his her their our your this that these those
    """
)
MODALS = _set("could would should must might")
MODALS_NOT = _set(
    """
    couldn't wouldn't shouldn't mustn't mightn't couldnt wouldnt
    """
)
COMPARATIVES = _set(
    """
    more less better worse bigger smaller faster slower taller shorter older younger
    higher lower longer harder easier happier bigger nicer larger stronger weaker rather
    sooner quicker louder quieter cooler hotter colder warmer funnier scarier further
    farther greater fewer richer poorer heavier lighter darker brighter
    """
)
OFF_VERBS = _set(
    """
    got get gets getting jumped jump jumps jumping fell fall falls falling took take
    takes taking switched switch turned turning ran kicked knocked flew fly drove rode
    ride walked dropped rushed sped shot blew broke tore pulled pushed hopped climbed
    showed showing going went goes
    """
)
TOO_ADJECTIVES = _set(
    """
    much many big small late early hot cold tired scared heavy fast slow far long short
    loud quiet hard easy high low young old full hungry busy dark bright sad happy good
    bad little
    """
)
TO_PLACES = _set("the my his her their our your school bed sleep")
# "with is dad", "of is own": words after which "is" before a noun is "his".
BEFORE_HIS = _set("of on in with at into to from for and")
# "lost is mum", "took is brother": verbs after which "is" before family is "his".
TOOK_HIS = _set("lost saw took got had")
FAMILY_AND_OWN = _set("mum dad mother father own brother sister")
WANT_PLACES = _set(
    """
    home back into upstairs downstairs away round across through past along
    """
)
TIME_PLURALS = _set("days weeks years hours minutes months seconds")
YOURE_NEXT = _set(
    """
    going coming doing being getting welcome not a an so gonna always never really lucky
    kidding joking
    """
)
ITS_NEXT = _set(
    """
    a an the not so very too raining snowing going been gonna because getting my your
    his her our their only just really all
    """
)
CLAUSE_END = frozenset(".,!?;:")
ENGLISH_LETTERS = re.compile(r"[a-z][a-z'\-]*")
TITLES = _set("mr mrs ms miss dr sir aunt auntie uncle")
SUFFIXES = ("s", "es", "ly", "ness")


def _lines(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _frequencies() -> dict[str, int]:
    """The base list: word -> count (lower case)."""
    return context.words()


@cache
def _extra() -> frozenset[str]:
    return frozenset(w.lower() for w in _lines("spelling_extra.txt"))


@cache
def _nouns() -> frozenset[str]:
    return frozenset(w for line in _lines("spelling_confusions.txt") for w in line.split())


@cache
def _pairs(name: str) -> dict[str, str]:
    pairs = {}
    for line in _lines(name):
        written, _, meant = line.partition("->")
        pairs[written.strip()] = meant.strip()
    return pairs


def _in_list(word: str) -> bool:
    if word in _extra() or word in CONTRACTIONS:
        return True
    count = _frequencies().get(word, 0)
    if len(word) >= LONG_WORD:
        return count > 0  # the rare long words of the list are words ("fishmonger")
    return word not in NOT_WORDS and count >= MIN_COUNT


@lru_cache(maxsize=50_000)
def known(word: str) -> bool:
    """Whether a lower-case word (straight apostrophes) is an English word."""
    if not word or _in_list(word):
        return True
    if "-" in word:
        return all(known(part) for part in word.split("-") if part)
    if word.endswith("'s") or word.endswith("s'"):
        return known(word[: -2 if word.endswith("'s") else -1])
    if re.search(r"(.)\1\1", word):  # sounds and shouting: "shhh", "aaaah", "sooo"
        once = re.sub(r"(.)\1+", r"\1", word)
        twice = re.sub(r"(.)\1+", r"\1\1", word)
        return _in_list(once) or _in_list(twice) or once in _extra()
    for suffix in SUFFIXES:  # "wirelesses", "unwisely", but not "familys"
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 4 and _in_list(stem) and stem[-1] != "y":
            return True
    # a compound of two words of three letters or more ("pageboy", "fishmonger"), unless
    # a word a slip or two away is the likelier reading ("differcult", "jungel", "marrid")
    return any(
        _in_list(word[:k]) and _in_list(word[k:]) and _common(word[:k]) and _common(word[k:])
        for k in range(3, len(word) - 2)
    ) and not _near_a_word(word)


def _near_a_word(word: str) -> bool:
    index = _index()
    found = {w for key in {word} | _deletes(word) for w in index.get(key, ())}
    return any(other != word and _distance(word, other) <= 1.6 for other in found)


def _common(word: str) -> bool:
    return _frequencies().get(word, 0) >= 1_000_000


def _deletes(word: str) -> set[str]:
    return {word[:k] + word[k + 1 :] for k in range(len(word))}


@cache
def _index() -> dict[str, list[str]]:
    """Each known word and each of its one-letter deletions -> the known words that give it
    (symmetric deletion: finds words within about two edits of a misspelling quickly)."""
    index: dict[str, list[str]] = {}
    words = [w for w in _frequencies() if _in_list(w) and len(w) > 1] + sorted(_extra())
    add = index.setdefault
    for word in words:
        add(word, []).append(word)
        for k in range(len(word)):
            add(word[:k] + word[k + 1 :], []).append(word)
    return index


def _distance(a: str, b: str) -> float:
    """Damerau (optimal string alignment) distance, weighted the way children misspell:
    a left-out or extra letter and two swapped letters cost less than a wrong letter, and
    a different first letter costs more."""
    gap, swap = 0.8, 0.7
    rows = [[j * gap for j in range(len(b) + 1)]]
    for i in range(1, len(a) + 1):
        row = [i * gap] + [0.0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0.0 if a[i - 1] == b[j - 1] else 1.0
            row[j] = min(rows[-1][j] + gap, row[j - 1] + gap, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + swap)
        rows.append(row)
    return rows[-1][-1] + (0.5 if a[:1] != b[:1] else 0.0)


@lru_cache(maxsize=20_000)
def _suggest(word: str) -> str:
    """The likeliest meant word: the nearest by Damerau distance (one edit, or two for a
    frequent word), the most frequent among equals."""
    if len(word) > 20:
        return ""
    index = _index()
    found = {w for key in {word} | _deletes(word) for w in index.get(key, ())}
    best: tuple[float, float, str] | None = None
    for candidate in found:
        if candidate in CONTRACTIONS or candidate == word:
            continue
        distance = _distance(word, candidate)
        count = _frequencies().get(candidate, MIN_COUNT)
        if distance > 2 or (distance > 1.1 and (count < 1_000_000 or len(word) < 5)):
            continue
        rank = (distance - 0.1 * math.log10(count), -count, candidate)
        if best is None or rank < best:
            best = rank
    return best[2] if best else ""


def _match_case(written: str, suggestion: str) -> str:
    if not suggestion or (suggestion[0] == "I" and suggestion[1:2] == "'"):
        return suggestion
    if written.isupper() and len(written) > 1:
        return suggestion.upper()
    if written[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def _names_in(doc: Text) -> set[str]:
    """Words written with a capital in the middle of a sentence somewhere in the text."""
    names = set()
    for sentence in doc.sentences:
        words = doc.sentence_words(sentence)
        for token in words[1:]:
            if token.text[:1].isupper() and not token.text.isupper():
                names.add(token.lower)
    return names


def _masked(doc: Text, index: int) -> bool:
    """Part of a masked name such as Generic_Name or STUDENT_NAME."""
    tokens = doc.tokens
    before = tokens[index - 1] if index else None
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    token = tokens[index]
    return bool(
        (before and before.text == "_" and before.end == token.start)
        or (after and after.text == "_" and after.start == token.end)
    )


def check(doc: Text, *, names: frozenset[str] = frozenset()) -> list[SpellingFlag]:
    """The spelling flags of the text, in order; `names` (lower case) are never flagged."""
    tokens = doc.tokens
    if not tokens:
        return []
    seen_names = _names_in(doc)
    # the first word of each sentence (a sentence may start with a quote mark)
    first_words = set()
    for sentence in doc.sentences:
        for i in range(sentence.first, sentence.last):
            if tokens[i].is_word:
                first_words.add(i)
                break
    lowers = [t.lower if t.kind != "punct" else t.text for t in tokens]
    past_story = _told_in_the_past(lowers)
    flags: list[SpellingFlag] = []
    skip_to = -1
    for i, token in enumerate(tokens):
        if i <= skip_to or not token.is_word:
            continue
        word = lowers[i]
        text = token.text
        split = _split_at(doc, lowers, i)
        if split:
            end_index, joined = split
            end = tokens[end_index].end
            flags.append(
                SpellingFlag(
                    token.start, end, doc.raw[token.start : end], _match_case(text, joined), "split"
                )
            )
            skip_to = end_index
            continue
        if word in names or _masked(doc, i):
            continue
        if word in NO_APOSTROPHE and not (word == "im" and text == "IM"):
            meant = NO_APOSTROPHE[word]
            flags.append(
                SpellingFlag(token.start, token.end, text, _match_case(text, meant), "apostrophe")
            )
            continue
        merged = _pairs("spelling_merged.txt").get(word)
        if merged:
            flags.append(
                SpellingFlag(token.start, token.end, text, _match_case(text, merged), "merged")
            )
            continue
        if len(word) == 1:
            continue
        owner = _missing_possessive(tokens, lowers, i)
        if owner:
            flags.append(
                SpellingFlag(token.start, token.end, text, _match_case(text, owner), "apostrophe")
            )
            continue
        if known(word):
            meant = _real_word(doc, lowers, i)
            kind = "real-word"
            if not meant and not (text[:1].isupper() and i not in first_words):
                meant = _verb_slip(tokens, lowers, i, past_story)
                kind = "verb-form" if meant else kind
                meant = meant or _look_alike(tokens, lowers, i)
            if meant:
                kind = "apostrophe" if meant.replace("'", "") == word else kind
                flags.append(
                    SpellingFlag(token.start, token.end, text, _match_case(text, meant), kind)
                )
            continue
        if text.isupper() or re.search(r"(.)\1\1", word):
            continue  # an acronym, a shouted sound or a noise ("eeeargh")
        if lowers[i - 1 if i and lowers[i - 1] != "." else max(i - 2, 0)] in TITLES:
            continue  # "Mr. Holbrook"
        nxt_token = tokens[i + 1] if i + 1 < len(tokens) else None
        if text[:1].isupper() and nxt_token and nxt_token.is_word and nxt_token.text[:1].isupper():
            continue  # "Edd Byrnes": a first name and a surname
        if not ENGLISH_LETTERS.fullmatch(word):
            continue  # a word or name from another language: "Björn", "مرحبا"
        capital = text[:1].isupper()
        if capital and i in first_words and word in seen_names:
            continue  # a name used mid-sentence elsewhere in the text
        suggestion = _suggest(word) if "'" not in word else ""
        if "'" in word and not suggestion:
            suggestion = _apostrophe_fix(word)
        # a capitalised unknown word mid-sentence is usually a name; flag it only when
        # two of its letters are swapped from a word ("Apirl", "Itlay")
        if capital and i not in first_words and not _is_swap(word, suggestion):
            continue
        flags.append(
            SpellingFlag(token.start, token.end, text, _match_case(text, suggestion), "non-word")
        )
    return flags


HAVE = _set("have has had i've we've they've you've")
BE_PAST = _set("was were")
HE_SHE = _set("he she")
# Before "he"/"she"/"it", words after which a plain verb is right: "did he go", "let it
# go", "made her laugh", "saw it happen".
BARE_VERB_BEFORE = _set(
    """
    do does did don't doesn't didn't can could will would shall should may might must
    can't couldn't won't wouldn't shouldn't let make made makes help helped helps see saw
    watch watched hear heard feel felt have had has
    """
)
# Words a past tense is read from, and words a present tense is read from.
PAST_MARKS = _set(
    "was were had did said went came got saw told took made thought knew yesterday ago"
)
PRESENT_MARKS = _set("is are am has does says goes comes gets sees tells takes makes")
# After "have", "go" means "got" ("I have go a cat") unless a way to go follows.
GO_WHERE = _set("out to away home back in off up down into over round through")


def _told_in_the_past(lowers: Sequence[str]) -> bool:
    past = sum(1 for w in lowers if w in PAST_MARKS or (w.endswith("ed") and len(w) > 4))
    present = sum(1 for w in lowers if w in PRESENT_MARKS)
    return past > present


def _verb_slip(tokens: Sequence[Token], lowers: list[str], i: int, past_story: bool) -> str:
    """A plain verb where its grammar wants another form: "he look" (looked or looks, by
    the tense of the story), "I have go" (got), "she has go out" (gone), "was kill"
    (killed). Only when English counts back the change: the pair as written is not a
    common one and the pair with the form proposed is."""
    word = lowers[i]
    forms = context.verb(word)
    if forms is None or i == 0 or not tokens[i - 1].is_word:
        return ""
    before = lowers[i - 1]
    before2 = lowers[i - 2] if i > 1 and tokens[i - 2].is_word else ""
    after = lowers[i + 1] if i + 1 < len(tokens) and tokens[i + 1].is_word else ""
    if context.listed_pair(before, word):
        return ""  # "he still", "have fun", "had enough"
    if before in HAVE:
        meant = forms.participle
        if word == "go" and before != "had" and after not in GO_WHERE:
            meant = "got"
    elif before in BE_PAST:
        meant = max((forms.participle, forms.ing), key=lambda f: context.pair_count(before, f))
    elif (before in HE_SHE or (before == "it" and not before2)) and before2 not in BARE_VERB_BEFORE:
        if forms.past == forms.base:
            return ""  # "he cut": the past already
        meant = forms.past if past_story else forms.third
    else:
        return ""
    return meant if meant != word and context.listed_pair(before, meant) else ""


# Words ending in "s" that are not a plural or a name with an "s" added.
NOT_PLURALS = _set("this his its us yes bus gas plus less thus always was has is does")
# How much likelier (natural log) the next word is after "his" than after "they" before
# "Jacks bike" reads as "Jack's bike".
POSSESSIVE_BAR = 2.0


def _missing_possessive(tokens: Sequence[Token], lowers: list[str], i: int) -> str:
    """ "Jacks bike", "the boys name": a name or noun with an "s" and no apostrophe before
    a thing people own (spelling_confusions.txt) that English far more often has after
    "his" than after "they" (so not something done: "the boys name it")."""
    word = lowers[i]
    owner = word[:-1]
    if (
        not word.endswith("s")
        or word.endswith("ss")
        or len(owner) < 3
        or word in NOT_PLURALS
        or "'" in word
        or i + 1 >= len(tokens)
        or not tokens[i + 1].is_word
        or tokens[i + 1].text[:1].isupper()
        or owner not in context.words()
    ):
        return ""
    thing = lowers[i + 1]
    if thing not in _nouns() or context.listed_pair(word, thing):
        return ""
    if context.listed_pair("he", word) or context.listed_pair("she", word):
        return ""  # "she likes her teacher": a verb, not an owner
    counts = context.words()
    after_his = math.log(context.pair_count("his", thing) / counts["his"])
    after_they = math.log(context.pair_count("they", thing) / counts["they"])
    return owner + "'s" if after_his - after_they > POSSESSIVE_BAR else ""


def _look_alike(tokens: Sequence[Token], lowers: list[str], i: int) -> str:
    """The word meant, when a look-alike fits the neighbouring words far better."""
    if len(lowers[i]) < 2:
        return ""
    before = lowers[i - 1] if i and tokens[i - 1].is_word else ""
    after = lowers[i + 1] if i + 1 < len(tokens) and tokens[i + 1].is_word else ""
    found = context.suspect(before, lowers[i], after)
    if not found:
        return ""
    word = lowers[i]
    if word.endswith("nt") and word[:-2] + "n't" in CONTRACTIONS:
        return word[:-2] + "n't"  # "You cant stop me": "can't", never "can"
    return found[0]


def _is_swap(word: str, other: str) -> bool:
    if len(word) != len(other):
        return False
    diff = [k for k in range(len(word)) if word[k] != other[k]]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and word[diff[0]] == other[diff[1]]
        and word[diff[1]] == other[diff[0]]
    )


def _apostrophe_fix(word: str) -> str:
    """ "does'nt" -> "doesn't", "did'nt" -> "didn't"."""
    bare = word.replace("'", "")
    if bare in NO_APOSTROPHE:
        return NO_APOSTROPHE[bare]
    if bare.endswith("s") and known(bare[:-1]):
        return bare[:-1] + "'s"
    return ""


# Words after which "no" is "know" ("I don't no where..."): the split "no where" is not
# read there.
KNOW_BEFORE = {"don't", "dont", "didn't", "didnt", "doesn't", "doesnt", "do", "i", "we", "you"}


def _split_at(doc: Text, lowers: list[str], i: int) -> tuple[int, str] | None:
    """A word written in two parts ("out side"): (index of the second part, the word)."""
    tokens = doc.tokens
    j = i + 1
    if j >= len(tokens) or not tokens[j].is_word:
        return None
    between = doc.raw[tokens[i].end : tokens[j].start]
    if "\n" in between or between.strip() != "":
        return None
    joined = _pairs("spelling_splits.txt").get(f"{lowers[i]} {lowers[j]}")
    if not joined:
        return None
    before = lowers[i - 1] if i else ""
    after = lowers[j + 1] if j + 1 < len(lowers) else ""
    pair = f"{lowers[i]} {lowers[j]}"
    # readings where the two words are meant
    if pair == "all ways" and before in {"in", "by"}:
        return None
    if pair == "some times" and before in {"at", "the", "for"}:
        return None
    if pair == "some one" and after == "of":
        return None
    if pair == "no where" and before in KNOW_BEFORE:
        return None  # "I don't no where it is": "know where", not "nowhere"
    if pair == "can not" and after in {"only", "just"}:
        return None
    if pair in {"to day", "to night"} and before in {"day", "night", "from"}:
        return None
    return j, joined


def _word(lowers: list[str], doc: Text, k: int) -> str:
    """The lower-case token at k ("" outside the text); punctuation as itself."""
    if 0 <= k < len(lowers):
        return lowers[k]
    return ""


def _real_word(doc: Text, lowers: list[str], i: int) -> str:
    """The meant word when the context makes a real-word error clear, else ""."""
    w = lowers[i]
    prev = _word(lowers, doc, i - 1)
    prev2 = _word(lowers, doc, i - 2)
    nxt = _word(lowers, doc, i + 1)
    nxt2 = _word(lowers, doc, i + 2)
    end = nxt == "" or nxt in CLAUSE_END
    nouns = _nouns()
    tokens = doc.tokens
    capital_next = i + 1 < len(tokens) and tokens[i + 1].text[:1].isupper()

    if w == "of" and (prev in MODALS or prev in MODALS_NOT) and nxt not in {"course"}:
        return "have"
    if w == "of" and prev in OFF_VERBS and (end or nxt in {"the", "my", "his", "her", "it"}):
        loose = prev in {"going", "went", "goes", "get", "got"} and not end
        off_what = nxt == "the" and nxt2 in {"bus", "train", "bike", "horse", "wall", "bed"}
        return "" if loose and not off_what else "off"
    place = prev in {"over", "in", "out", "up", "down", "from", "is", "was"}
    if w in {"there", "they"} and nxt in nouns and not capital_next and (w == "they" or not place):
        return "their"
    if w == "their" and nxt in {"is", "are", "was", "were", "isn't", "wasn't", "aren't"}:
        return "there"
    if w == "their" and prev in {"over", "from", "in", "up", "down", "out"} and end:
        return "there"
    if w == "to":
        if (
            end
            and prev
            not in {
                "up",
                "how",
                "want",
                "wanted",
                "have",
                "going",
                "had",
                "got",
                "used",
            }
            and (prev in SUBJECTS or prev in {"me", "him", "her", "us", "them", "it"})
        ):
            return "too"
        if (
            nxt in TOO_ADJECTIVES
            and nxt2 in CLAUSE_END | {""}
            and prev in {"was", "is", "were", "are", "it's"}
        ):
            return "too"
        if nxt in {"much", "many"} and prev in {"was", "is", "were", "are", "it's", "ate", "eaten"}:
            return "too"
        if nxt in TIME_PLURALS or (
            nxt == "of" and nxt2 in {"them", "us", "my", "the", "his", "her"}
        ):
            return "two"
    if (
        w in {"too", "two"}
        and nxt in TO_PLACES
        and prev in {"went", "go", "going", "goes", "back", "walked", "ran", "came", "come", "got"}
    ):
        return "to"
    if w == "is" and prev in BEFORE_HIS and nxt in nouns:
        return "his"
    if w == "is" and prev in BEFORE_HIS | TOOK_HIS and nxt in FAMILY_AND_OWN:
        return "his"
    if w == "hear" and (
        (
            prev in {"come", "came", "over", "in", "from", "get", "got", "out"}
            and (end or nxt in {"and", "to", "now", "with"})
        )
        or (nxt in {"is", "are"} and prev in CLAUSE_END | {""})
    ):
        return "here"
    if (
        w == "here"
        and prev in {"can", "could", "couldn't", "can't", "cannot", "couldnt", "cant"}
        and nxt
        in {
            "a",
            "the",
            "it",
            "him",
            "her",
            "them",
            "you",
            "me",
            "something",
            "some",
            "people",
            "noises",
            "voices",
        }
    ):
        return "hear"
    if (
        w == "where"
        and prev in PRONOUNS_PLURAL
        and nxt not in CLAUSE_END
        and nxt not in {"to", "is", "are", "was", "did", "do"}
    ) and prev2 not in {
        "know",
        "see",
        "knew",
        "saw",
        "ask",
        "asked",
        "wonder",
        "wondered",
        "is",
        "tell",
        "told",
    }:
        return "were"
    if w == "were" and (
        nxt in {"is", "are", "abouts"}
        or (prev in {"that's", "thats", "from", "to"} and nxt in SUBJECTS)
    ):
        return "where"
    if w == "your" and nxt in YOURE_NEXT:
        return "you're"
    if w in {"you're", "youre"} and nxt in nouns and nxt != "own":
        return "your"
    if w == "its" and nxt in ITS_NEXT:
        return "it's"
    if w == "it's" and nxt in {
        "own",
        "tail",
        "head",
        "legs",
        "eyes",
        "fur",
        "nest",
        "mouth",
        "wings",
        "feet",
    }:
        return "its"
    if w == "then" and prev in COMPARATIVES:
        return "than"
    if w == "than" and (
        prev in {"and", "just", "since", "until", "till", "by", "but"}
        or (prev in CLAUSE_END | {""} and nxt in SUBJECTS)
    ):
        return "then"
    if w == "no" and (
        prev in {"don't", "dont", "didn't", "didnt", "doesn't", "i"}
        and nxt
        in {
            "that",
            "what",
            "how",
            "where",
            "why",
            "who",
            "it",
            "him",
            "her",
            "them",
            "if",
            "anything",
            "",
        }
        | CLAUSE_END
    ):
        return "know"
    if (
        w == "new"
        and prev in {"i", "he", "she", "we", "they"}
        and nxt
        in {
            "that",
            "what",
            "how",
            "where",
            "it",
            "he",
            "she",
            "they",
            "we",
            "i",
            "him",
            "her",
            "there",
        }
    ):
        return "knew"
    if w == "knew" and prev in DETERMINERS:
        return "new"
    if (
        w == "hole"
        and prev in {"the", "a"}
        and nxt
        in {
            "day",
            "night",
            "time",
            "class",
            "school",
            "world",
            "family",
            "thing",
            "way",
            "week",
            "lot",
            "year",
            "house",
            "town",
        }
    ):
        return "whole"
    if w == "whole" and prev == "a" and prev2 != "as" and (end or nxt in {"in"}):
        return "hole"
    if (
        w == "want"
        and prev in SUBJECTS - {"you"}
        and (
            nxt in WANT_PLACES
            or (nxt == "to" and nxt2 in {"the", "bed", "school", "my", "his", "her"})
        )
    ):
        return "went"
    if (
        w == "went"
        and i > 0
        and prev in CLAUSE_END | {""}
        and nxt in SUBJECTS
        and nxt2 not in CLAUSE_END
    ):
        return "when"
    if (
        w in {"witch"}
        and nxt in {"is", "was", "one", "way"}
        and prev in {",", "the", "in"}
        and nxt != "is"
    ):
        return "which"
    if (
        w == "our"
        and prev in PRONOUNS_PLURAL
        and nxt in {"going", "not", "very", "so", "all", "having"}
    ):
        return "are"
    if (
        w in {"loose"}
        and prev in {"to", "will", "would", "might", "didn't", "don't"}
        and nxt in {"the", "my", "his", "her", "it", "your", "our"}
    ):
        return "lose"
    if w == "quite" and end and prev in {"very", "so", "be", "was", "were", "is", "too", "really"}:
        return "quiet"
    return ""


def rates(doc: Text, flags: Sequence[SpellingFlag]) -> dict[str, float]:
    """Spelling flags per 100 words: all of them, and the real-word ones."""
    per = 100 / max(len(doc.words), 1)
    real = sum(1 for f in flags if f.kind != "non-word")
    return {"spelling": round(len(flags) * per, 2), "real_word": round(real * per, 2)}


__all__ = ["Token", "check", "known", "rates"]

"""The text model: words, sentences and paragraphs with character offsets into the
original text, read the way children write.

Children leave out capitals and full stops, end a sentence with a line break instead,
write "i", run sentences together with "and then", put a title on the first line and
start letters with "Dear ...". Everything here keeps offsets into the text as typed, so
every flag and every piece of evidence points at the writer's own characters.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cached_property

from conferbook.analysis.types import Span
from conferbook.analysis.wordlists import words

# Verbs that, right after a closing quote, show the quote's speaker follows: '"Stop!" Mom
# yelled.' (not "laughed": '"Ha." They laughed.' is two sentences).
ATTRIBUTION = words(
    "said says asked asks replied replies answered whispered whispers yelled yells "
    "shouted shouts exclaimed"
)

# A word: letters, with apostrophes and hyphens inside ("don't", "well-known", "Jo's").
WORD = re.compile("[^\\W\\d_]+(?:['\u2019\\-][^\\W\\d_]+)*(?:['\u2019](?=\\s|$|[^\\w]))?")
NUMBER = re.compile(r"\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?")
TOKEN = re.compile(rf"(?P<word>{WORD.pattern})|(?P<number>{NUMBER.pattern})|(?P<punct>[^\s])")
# Invisible characters a paste can carry: they are kept in the text (offsets stay true)
# and never make a word unknown.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
END_MARKS = ".!?…"
CLOSERS = "\"'\u201d\u2019)]»"
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "mt", "jr", "sr", "vs", "etc", "prof", "capt"}
BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n\s*")
TITLE_WORDS = 8


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    kind: str  # "word", "number" or "punct"

    @property
    def lower(self) -> str:
        return self.text.lower().replace("\u2019", "'")

    @property
    def is_word(self) -> bool:
        return self.kind == "word"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    first: int  # index of its first token in Text.tokens
    last: int  # index one past its last token
    # How the sentence ends: "mark" (. ! ?), "line" (a line break), "end" (end of text),
    # "none" is never used; "title" for a title line.
    ending: str

    def span(self) -> Span:
        return Span(self.start, self.end, self.text)


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    sentences: tuple[int, ...]  # indices into Text.sentences


@dataclass
class Text:
    raw: str
    tokens: list[Token]
    sentences: list[Sentence]
    paragraphs: list[Paragraph]
    title: Span | None = None
    greeting: Span | None = None  # "Dear Grandma," at the start of a letter

    @cached_property
    def words(self) -> list[Token]:
        return [t for t in self.tokens if t.is_word]

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.raw[start:end])

    def sentence_tokens(self, sentence: Sentence) -> list[Token]:
        return self.tokens[sentence.first : sentence.last]

    def sentence_words(self, sentence: Sentence) -> list[Token]:
        return [t for t in self.sentence_tokens(sentence) if t.is_word]


def tokenize(raw: str) -> list[Token]:
    tokens = []
    for match in TOKEN.finditer(raw):
        kind = match.lastgroup or "punct"
        text = match.group()
        if kind == "punct" and text in INVISIBLE:
            continue
        tokens.append(Token(match.start(), match.end(), text, kind))
    return tokens


def _trim(raw: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (raw[start].isspace() or raw[start] in INVISIBLE):
        start += 1
    while end > start and (raw[end - 1].isspace() or raw[end - 1] in INVISIBLE):
        end -= 1
    return start, end


def _title(raw: str) -> tuple[int, int] | None:
    """A first line of a few words with no end mark, followed by more text, is a title."""
    first = raw.lstrip()
    offset = len(raw) - len(first)
    line_end = first.find("\n")
    if line_end <= 0 or not first[line_end:].strip():
        return None
    line = first[:line_end].rstrip()
    found = WORD.findall(line)
    # A title stands apart (a blank line after it), is short, or is written in Title Case;
    # "i like cats" on the first line of a piece with no full stops is a sentence.
    blank_after = not first[line_end + 1 :].split("\n", 1)[0].strip()
    long_words = [w for w in found if len(w) > 3]
    title_case = bool(long_words) and all(w[:1].isupper() for w in long_words)
    # "Should Phones Be Banned?" standing apart in Title Case is a title too
    asked = line[-1:] in "?!" and title_case and blank_after
    if not found or len(found) > TITLE_WORDS or (line[-1:] in END_MARKS + ",:;" and not asked):
        return None
    if line.lower().startswith("dear ") or found[-1].lower() in CONTINUES:
        return None
    if not (blank_after or ((len(found) <= 3 or title_case) and line[:1].isupper())):
        return None
    return offset, offset + len(line)


def _greeting(raw: str, start: int) -> tuple[int, int] | None:
    """ "Dear Grandma," (or "Dear Mr. Lopez:") opening a letter, on its own line."""
    match = re.compile(r"[ \t]*(dear\b[^\n]{0,60}?)[,:!]?[ \t]*\n", re.IGNORECASE).match(raw, start)
    if not match:
        return None
    return match.start(1), match.end()


# Words a sentence almost never ends on: a line that ends on one and a next line that
# starts in lower case is one sentence wrapped over two lines, not two sentences.
CONTINUES = frozenset(
    re.split(
        r"\s+",
        "the a an to and of with my in at for but or because so his her their our your "
        "was is were are that when if from into on",
    )
)


def _wrapped(raw: str, tokens: list[Token], offset: int) -> bool:
    """Whether the line break at `offset` wraps a sentence ("went to the / park")."""
    if raw[offset + 1 : offset + 2] == "\n" or not raw[offset + 1 :].strip():
        return False
    before = raw[max(offset - 60, 0) : offset].rstrip()
    after = raw[offset + 1 :].lstrip(" \t")
    last = re.search(r"(\w+)$", before)
    if not last:
        return False
    return last.group(1).lower() in CONTINUES and after[:1].islower()


SIGN_OFF = re.compile(
    r"^(love|lots of love|from|your friend|your pal|sincerely|yours|yours truly|best wishes|"
    r"best|thanks|thank you|regards|kind regards|cheers|xoxo|hugs|see you soon|"
    r"your (?:\w+ )?(?:friend|son|daughter|grandson|granddaughter|student|niece|nephew))\b",
    re.IGNORECASE,
)


def sign_off(doc: Text) -> frozenset[int]:
    """Indices of the sentences that close a letter ("Love," / "Jo", "Your friend, Sam"):
    they need no end mark and are not part of the story."""
    found: set[int] = set()
    sentences = doc.sentences
    for i in range(max(len(sentences) - 3, 0), len(sentences)):
        sentence = sentences[i]
        if sentence.ending == "mark" and not sentence.text.endswith(","):
            continue
        if len(doc.sentence_words(sentence)) > 6 or not SIGN_OFF.match(sentence.text):
            continue
        rest = range(i, len(sentences))
        if all(len(doc.sentence_words(sentences[j])) <= 4 for j in rest[1:]):
            found.update(rest)
            break
    return frozenset(found)


def _sentence_ends(raw: str, tokens: list[Token]) -> list[tuple[int, str]]:
    """(character offset, how) where each sentence ends."""
    ends: list[tuple[int, str]] = []
    for i, token in enumerate(tokens):
        if token.kind != "punct" or token.text not in END_MARKS:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            nxt is not None
            and nxt.kind == "punct"
            and nxt.text in END_MARKS
            and nxt.start == token.end
        ):
            continue  # "?!" and "..." end at the last mark (closers after it are kept)
        if token.text == ".":
            previous = tokens[i - 1] if i else None
            if previous and previous.end == token.start and previous.lower in ABBREVIATIONS:
                continue  # "Mr. Lopez"
            initial = previous and previous.kind == "word" and len(previous.text) == 1
            if initial and nxt and nxt.start == token.end:
                continue  # "U.S."
            if nxt is not None and nxt.kind == "number" and nxt.start == token.end:
                continue  # "3.5"
        end = token.end
        j = i + 1
        while j < len(tokens) and tokens[j].text in CLOSERS and tokens[j].start == end:
            end = tokens[j].end
            j += 1
        # A closing quote after "?" or "!" with a lower-case word or a speech verb next
        # ('"Stop!" she said') does not end the sentence.
        if j < len(tokens) and end < tokens[j].start:
            after = tokens[j]
            between = raw[end : after.start]
            said = [t.lower for t in tokens[j : j + 3] if t.is_word][:2]
            said = [w for w in said if w in ATTRIBUTION]
            if (
                "\n" not in between
                and after.kind == "word"
                and raw[end - 1 : end] in CLOSERS
                and (after.text[:1].islower() or said)
            ):
                continue  # '"Stop!" yelled Mom.' / '"Stop!" Mom yelled.' is one sentence
        ends.append((end, "mark"))
    for match in re.finditer(r"\n", raw):
        if _wrapped(raw, tokens, match.start()):
            continue
        ends.append((match.start(), "line"))
    ends.sort(key=lambda end: (end[0], end[1] != "mark"))  # a mark before its line break
    return ends


def parse(raw: str) -> Text:
    """Read a piece of writing into tokens, sentences and paragraphs (offsets into `raw`)."""
    tokens = tokenize(raw)
    title = _title(raw)
    body_start = title[1] if title else 0
    greeting = _greeting(raw, body_start + (1 if title else 0)) or _greeting(raw, 0)
    skip_until = max(title[1] if title else 0, greeting[1] if greeting else 0)

    sentences: list[Sentence] = []
    cursor = skip_until
    token_index = 0
    for end, how in [*_sentence_ends(raw, tokens), (len(raw), "end")]:
        if end <= cursor:
            continue
        start, stop = _trim(raw, cursor, end)
        cursor = end
        if start >= stop:
            continue
        while token_index < len(tokens) and tokens[token_index].start < start:
            token_index += 1
        first = token_index
        while token_index < len(tokens) and tokens[token_index].end <= stop:
            token_index += 1
        if first == token_index:
            continue
        if not any(t.is_word or t.kind == "number" for t in tokens[first:token_index]):
            continue
        sentences.append(Sentence(start, stop, raw[start:stop], first, token_index, how))

    paragraphs = _paragraphs(raw, sentences, skip_until)
    return Text(
        raw=raw,
        tokens=tokens,
        sentences=sentences,
        paragraphs=paragraphs,
        title=_span(raw, *title) if title else None,
        greeting=_span(raw, *greeting) if greeting else None,
    )


def _span(raw: str, start: int, end: int) -> Span:
    start, end = _trim(raw, start, end)
    return Span(start, end, raw[start:end])


def _paragraphs(raw: str, sentences: list[Sentence], body_start: int) -> list[Paragraph]:
    """Blank lines separate paragraphs; without any, a line that starts indented starts
    one; otherwise the whole text is one paragraph."""
    cuts = [m.end() for m in BLANK_LINE.finditer(raw) if m.end() > body_start]
    if not cuts:
        cuts = [
            m.start() + 1
            for m in re.finditer(r"\n(?=[ \t]{2,}|\t)", raw)
            if m.start() + 1 > body_start
        ]
    bounds = [body_start, *cuts, len(raw) + 1]
    paragraphs = []
    for lo, hi in itertools.pairwise(bounds):
        inside = tuple(i for i, s in enumerate(sentences) if lo <= s.start < hi)
        if inside:
            paragraphs.append(
                Paragraph(sentences[inside[0]].start, sentences[inside[-1]].end, inside)
            )
    return paragraphs

"""What the autosave browser tests share: a teacher typing at tablet pace, Chromium's
network emulation, and watchers for conflict boxes and for the save status."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs

# Every text the screens autosave, as the page names its fields.
FIELDS_SCRIPT = """() => Object.fromEntries(
    [...document.querySelectorAll('#conference-form [data-autosave]')].map(e => [e.name, e.value])
)"""
STATUS_SCRIPT = "() => document.querySelector('[data-save-status]').dataset.state"

# Reports every conflict box the moment it is put on a page (by the script or the server),
# so a box that came and went between two looks still fails the test.
WATCH_CONFLICT_BOXES = """
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      const box = node.matches('.conflict-box') ? node : node.querySelector('.conflict-box');
      if (box) window.sawConflictBox(box.textContent);
    }
  }
}).observe(document, {childList: true, subtree: true});
"""

# Keeps every text the save status shows, from the moment the page is parsed.
WATCH_STATUS = """
window.statusesSeen = [];
new MutationObserver(() => {
  const status = document.querySelector('[data-save-status]');
  const text = status && status.textContent;
  if (text && window.statusesSeen[window.statusesSeen.length - 1] !== text) {
    window.statusesSeen.push(text);
  }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""

# Everything a teacher might jot down, word by word.
PHRASES = [
    "Zoë said her ending feels too sudden",
    "she wants the dog to come home first",
    "used a strong verb: the truck rumbled",
    "we looked at how Patricia MacLachlan ends a chapter",
    "try one line of talk, then a feeling",
    "reread it aloud to a partner, café voice",
    "she's proud of the lead; it starts with a sound",
    "planning to add two details, maybe three",
    "asked what the reader should feel at the end",
    "the middle drags a bit, so cut one paragraph",
    "compliment: her commas in a list are right",
    "next time check the title matches the story",
]


class Network:
    """Chromium's network emulation for one page, through its own DevTools session (the
    request guard's routes still apply: they only decide where a request may go)."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.session = page.context.new_cdp_session(page)
        self.session.send("Network.enable")

    def set(self, *, latency: int = 0, offline: bool = False) -> None:
        self.session.send(
            "Network.emulateNetworkConditions",
            {
                "offline": offline,
                "latency": latency,
                "downloadThroughput": -1,
                "uploadThroughput": -1,
            },
        )


def slow_network(page, latency_ms: int) -> Network:  # type: ignore[no-untyped-def]
    """Delay every request of `page` by `latency_ms`."""
    network = Network(page)
    network.set(latency=latency_ms)
    return network


def watch_conflict_boxes(context) -> list[str]:  # type: ignore[no-untyped-def]
    """The texts of every conflict box shown on any page of `context` from now on."""
    seen: list[str] = []
    context.expose_binding("sawConflictBox", lambda _source, text: seen.append(text))
    context.add_init_script(WATCH_CONFLICT_BOXES)
    return seen


def watch_saves(page) -> list[float]:  # type: ignore[no-untyped-def]
    """How long each finished autosave request of `page` took, in milliseconds."""
    durations: list[float] = []

    def finished(request) -> None:  # type: ignore[no-untyped-def]
        if is_save(request):
            durations.append(request.timing["responseEnd"])

    page.on("requestfinished", finished)
    return durations


def is_save(request) -> bool:  # type: ignore[no-untyped-def]
    return request.method == "POST" and request.url.endswith("/save/")


def saved_field(request) -> str:  # type: ignore[no-untyped-def]
    """The field an autosave request saves."""
    return parse_qs(request.post_data or "").get("field", [""])[0]


def on_screen(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return page.evaluate(FIELDS_SCRIPT)


def save_state(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate(STATUS_SCRIPT)


@dataclass
class Teacher:
    """Types like a teacher on a tablet: 150-300 ms a key, short pauses between words,
    now and then a typo put right with Backspace and a longer look up at the student.

    `typed` holds what each field should say; `check` runs after every word and the pause
    after it (the tests use it to look for conflict boxes and to hold the save status to the
    truth).
    """

    page: object
    rng: random.Random
    check: Callable[[], None] = lambda: None
    typed: dict[str, str] = field(default_factory=dict)

    def key(self, key: str) -> None:
        keyboard = self.page.keyboard  # type: ignore[attr-defined]
        if key in ("Backspace", "\n"):
            keyboard.press("Enter" if key == "\n" else key)
        else:
            keyboard.type(key)
        self.page.wait_for_timeout(self.rng.uniform(150, 300))  # type: ignore[attr-defined]

    def type_phrase(self, name: str, phrase: str) -> None:
        """Tap the end of field `name` and type `phrase` into it."""
        page = self.page
        box = page.locator(f'#conference-form [name="{name}"]')  # type: ignore[attr-defined]
        box.click()
        page.keyboard.press("Control+End")  # type: ignore[attr-defined]
        text = self.typed.setdefault(name, box.input_value())
        if text and not text.endswith((" ", "\n")):
            self.add(name, "\n" if self.rng.random() < 0.2 else " ")
        words = phrase.split(" ")
        for index, word in enumerate(words):
            if index:
                self.add(name, " ")
            for char in word:
                if char.isalpha() and self.rng.random() < 0.03:
                    self.key(self.rng.choice("qxz"))  # a slip of the finger, put right
                    self.key("Backspace")
                self.add(name, char)
            # Between words a short pause, now and then a look up at the student, and after
            # the last word a longer one: the student talks on.
            if index == len(words) - 1:
                pause = self.rng.uniform(1000, 1800)
            else:
                pause = self.rng.uniform(100, 600) if self.rng.random() < 0.85 else 1500
            page.wait_for_timeout(pause)  # type: ignore[attr-defined]
            self.check()

    def add(self, name: str, char: str) -> None:
        self.key(char)
        self.typed[name] += char

    def type_for(self, names: list[str], seconds: float) -> None:
        """Go round the fields, a few words each, until every field has had typing and at
        least `seconds` have passed."""
        started = time.monotonic()
        turn = 0
        while turn < len(names) or time.monotonic() - started < seconds:
            self.type_phrase(names[turn % len(names)], self.snippet())
            turn += 1

    def snippet(self) -> str:
        """Two or three words of a phrase: a teacher's notes come in short bursts."""
        words = self.rng.choice(PHRASES).split(" ")
        start = self.rng.randrange(len(words) - 1)
        return " ".join(words[start : start + self.rng.choice((2, 3))])

"""A bounded store of values kept by key, the least recently used dropped first. No Django.

A process keeps what is costly to make and cheap to recognise (rendered rows, a class list
at a known version of its data) in one of these; a value is only ever found under the
exact key it was kept with, so a key must say everything the value depends on.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """At most `size` values; safe to share between a server's threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[Hashable]) -> list[V | None]:
        """The value kept under each key, None where there is none."""
        with self._lock:
            found = [self._values.get(key) for key in keys]
            for key, value in zip(keys, found, strict=True):
                if value is not None:
                    self._values.move_to_end(key)
        return found

    def get(self, key: Hashable) -> V | None:
        return self.get_many([key])[0]

    def put_many(self, items: Sequence[tuple[Hashable, V]]) -> None:
        with self._lock:
            for key, value in items:
                self._values[key] = value
                self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def put(self, key: Hashable, value: V) -> None:
        self.put_many([(key, value)])

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)

"""Small helpers for the sentences pages write."""

from __future__ import annotations


def counted(number: int, word: str, plural: str = "") -> str:
    """ "1 sticker", "3 stickers", "0 stickers" (`plural` when adding "s" is wrong)."""
    return f"{number} {word if number == 1 else plural or word + 's'}"

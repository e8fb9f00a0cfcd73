"""Photos of notebook pages: an uploaded file checked, cleaned and made small enough to keep,
and a rectangle of a kept photo cut out exactly. Pillow only, no Django.

An upload is trusted for nothing. It is accepted only when its name says JPEG, PNG or WebP
and its bytes are an image of that same format, no larger than `MAX_BYTES` on disk and
`MAX_PIXELS` once decoded (its header is read before any pixel is, so a decompression
bomb is refused without being unpacked). What is kept is never the uploaded file: the
pixels are decoded, turned upright by their EXIF orientation, shrunk to `LONG_EDGE` and
written afresh as a JPEG with no metadata at all, so a camera's location, a polyglot's
hidden payload or anything appended to the file is left behind.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

# What a name may end with, and the format its bytes must then be.
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
ACCEPT = "image/jpeg,image/png,image/webp"  # the file input's accept attribute
MAX_BYTES = 15 * 1024 * 1024  # a tablet camera's photo is 2 to 8 MB
MAX_PAGES = 12  # photos in one upload
# The most a request carrying photos may weigh; a larger one is refused unread.
MAX_UPLOAD_BYTES = MAX_PAGES * MAX_BYTES + 1024 * 1024
MAX_PIXELS = 50_000_000  # a 48-megapixel phone camera passes, a bomb does not
MAX_ASPECT = 12  # a long side at most this many times the short one: a strip is no page
# Pixels kept on the long side: a notebook page at about 240 dots an inch, sharp when zoomed,
# and half of a 12-megapixel camera's 4032, which its JPEG decodes at half scale, quickly.
LONG_EDGE = 2000
THUMB_EDGE = 480
QUALITY = 85
CROP_QUALITY = 92
MIN_SPOT = 8  # the smallest rectangle, in pixels a side, that can be marked


class PhotoRefused(ValueError):
    """An upload that is not kept; the message says why in plain words."""


@dataclass(frozen=True)
class KeptPhoto:
    image: bytes  # JPEG, upright, no metadata
    thumbnail: bytes  # JPEG
    width: int
    height: int


def _format_for(name: str) -> str:
    dot = name.rfind(".")
    expected = FORMATS.get(name[dot:].lower()) if dot >= 0 else None
    if expected is None:
        raise PhotoRefused(
            f"“{name}” is not a photo Conferbook takes: choose a JPEG, PNG or WebP picture."
        )
    return expected


def keep_photo(data: bytes, *, name: str) -> KeptPhoto:
    """The photo to keep from an uploaded file's bytes and name, or PhotoRefused."""
    expected = _format_for(name)
    if len(data) > MAX_BYTES:
        raise PhotoRefused(
            f"“{name}” is {len(data) / 1024 / 1024:.0f} MB; a photo can be at most "
            f"{MAX_BYTES // 1024 // 1024} MB."
        )
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice it; every bomb is an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _kept(data, name=name, expected=expected)
        except PhotoRefused:
            raise
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError,
                Image.DecompressionBombWarning, EOFError, MemoryError):  # fmt: skip
            raise PhotoRefused(
                f"“{name}” could not be read as a picture: it may be damaged or cut short. "
                "Take the photo again."
            ) from None


def _kept(data: bytes, *, name: str, expected: str) -> KeptPhoto:
    try:
        opened = Image.open(io.BytesIO(data), formats=list(set(FORMATS.values())))
    except Image.UnidentifiedImageError:
        raise PhotoRefused(
            f"“{name}” is not a picture: choose a JPEG, PNG or WebP photo of the page."
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own check, on the header, for sizes far past ours.
        raise PhotoRefused(_too_many(name, "so many")) from None
    with opened:
        if opened.format != expected:
            raise PhotoRefused(
                f"“{name}” is named as a {expected.replace('WEBP', 'WebP')} picture but is "
                f"a {str(opened.format).replace('WEBP', 'WebP')} one. Rename it or save it again."
            )
        width, height = opened.size
        if width < 1 or height < 1 or width * height > MAX_PIXELS:
            raise PhotoRefused(_too_many(name, f"{width} by {height}"))
        if max(width, height) > MAX_ASPECT * min(width, height):
            raise PhotoRefused(
                f"“{name}” is {width} by {height} pixels: that is not the shape of a page. "
                "Take the photo again with the whole page in it."
            )
        if opened.format == "JPEG":
            # Decode at a half, quarter or eighth of the size when that is still big enough:
            # a camera's photo opens in a fraction of the time and memory.
            scale = min(1.0, LONG_EDGE / max(width, height))
            opened.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
        opened.load()  # the first frame of an animated file; a truncated one raises here
        upright = ImageOps.exif_transpose(opened)
        pixels = _as_rgb(upright)
    pixels.thumbnail((LONG_EDGE, LONG_EDGE), Image.Resampling.LANCZOS)
    small = pixels.copy()
    small.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)
    return KeptPhoto(
        image=_jpeg(pixels), thumbnail=_jpeg(small), width=pixels.width, height=pixels.height
    )


def _too_many(name: str, size: str) -> str:
    return (
        f"“{name}” is {size} pixels, too many to open; a photo can have at most "
        f"{MAX_PIXELS // 1_000_000} million pixels."
    )


def _as_rgb(image: Image.Image) -> Image.Image:
    """Plain 8-bit RGB; transparency laid on white paper."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGB", rgba.size, "white")
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda v: v / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # No exif, icc_profile or xmp is passed, so none is written; a comment would be copied
    # from the decoded file's info unless it is emptied.
    image.info = {}
    image.save(out, "JPEG", quality=QUALITY, optimize=True)
    return out.getvalue()


@dataclass(frozen=True)
class Box:
    """A rectangle on a kept photo, in its pixels."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def fits(self, width: int, height: int) -> bool:
        return (
            self.left >= 0
            and self.top >= 0
            and self.width >= MIN_SPOT
            and self.height >= MIN_SPOT
            and self.right <= width
            and self.bottom <= height
        )


def cut_out(image: bytes, box: Box) -> bytes:
    """The rectangle `box` of a kept photo, to its pixel, as a JPEG of its own: written at
    a higher quality and with full colour detail, so the lines of handwriting stay crisp
    (a lossless copy of a photo would weigh ten times as much in a page or a PDF)."""
    with Image.open(io.BytesIO(image)) as photo:
        part = photo.crop((box.left, box.top, box.right, box.bottom))
    out = io.BytesIO()
    part.save(out, "JPEG", quality=CROP_QUALITY, subsampling=0, optimize=True)
    return out.getvalue()

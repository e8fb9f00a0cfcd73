"""lib/photos.py: what an upload must be to be kept, and what is kept of it."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageChops, ImageDraw

from conferbook.lib import photos
from conferbook.lib.photos import Box, PhotoRefused, cut_out, keep_photo

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def page(width: int = 1200, height: int = 900, *, mode: str = "RGB") -> Image.Image:
    """A notebook page: white with ruled lines and a dark block of "writing" top left."""
    image = Image.new(mode, (width, height), "white")
    draw = ImageDraw.Draw(image)
    for y in range(60, height, 40):
        draw.line([(0, y), (width, y)], fill=(120, 150, 220) if mode == "RGB" else 128, width=2)
    draw.rectangle([40, 40, width // 3, height // 5], fill=(20, 20, 20) if mode == "RGB" else 0)
    return image


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def with_location(image: Image.Image) -> bytes:
    """A JPEG as a phone writes it: the camera's location and maker in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "SecretCam 1.0"  # Software
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 12.34), 3: "W", 4: (0.0, 7.0, 39.9)})
    return encoded(image, "JPEG", exif=exif.tobytes(), quality=90)


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_it_keeps_a_jpeg_png_and_webp_as_a_jpeg_with_a_thumbnail():
    for fmt, name in (("JPEG", "page.jpg"), ("PNG", "page.PNG"), ("WEBP", "page.webp")):
        kept = keep_photo(encoded(page(), fmt), name=name)
        image = opened(kept.image)
        assert image.format == "JPEG" and image.mode == "RGB"
        assert (kept.width, kept.height) == image.size == (1200, 900)
        thumb = opened(kept.thumbnail)
        assert max(thumb.size) == photos.THUMB_EDGE and thumb.format == "JPEG"


def test_it_strips_the_location_and_every_other_detail_of_the_camera():
    uploaded = with_location(page())
    assert Image.open(io.BytesIO(uploaded)).getexif().get_ifd(GPS_IFD)  # the test's premise

    kept = keep_photo(uploaded, name="IMG_0042.JPG")

    for data in (kept.image, kept.thumbnail):
        image = opened(data)
        assert not image.getexif()
        assert not image.getexif().get_ifd(GPS_IFD)
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert b"SecretCam" not in data and b"PhoneMaker" not in data and b"Exif" not in data


def test_it_turns_the_photo_upright_by_its_exif_orientation():
    # A tablet held sideways stores the pixels landscape and says "turn 90 degrees" (6).
    upright = page(600, 800)
    stored = upright.rotate(90, expand=True)  # what the camera wrote: 800 x 600
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    kept = keep_photo(encoded(stored, "JPEG", exif=exif.tobytes(), quality=95), name="p.jpg")
    image = opened(kept.image)
    assert image.size == (600, 800)
    # The dark block of writing is back at the top left.
    assert image.getpixel((60, 60))[0] < 80
    assert image.getpixel((590, 770))[0] > 150


def test_it_shrinks_a_camera_photo_to_the_long_edge_it_keeps():
    kept = keep_photo(encoded(page(4032, 3024), "JPEG"), name="camera.jpeg")
    assert max(kept.width, kept.height) == photos.LONG_EDGE
    assert kept.width / kept.height == pytest.approx(4032 / 3024, rel=0.01)


def test_it_lays_a_transparent_png_on_white_paper():
    drawing = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    ImageDraw.Draw(drawing).rectangle([10, 10, 50, 50], fill=(0, 0, 0, 255))
    image = opened(keep_photo(encoded(drawing, "PNG"), name="scan.png").image)
    assert image.getpixel((150, 80))[0] > 240  # transparent became white, not black
    assert image.getpixel((30, 30))[0] < 30


def test_it_keeps_other_pixel_kinds_readable():
    for mode in ("L", "P", "CMYK", "I;16", "LA", "1"):
        image = page(300, 200, mode="L").convert(mode)
        fmt = "JPEG" if mode == "CMYK" else "PNG"
        name = "x.jpg" if fmt == "JPEG" else "x.png"
        kept = keep_photo(encoded(image, fmt), name=name)
        assert opened(kept.image).mode == "RGB", mode


@pytest.mark.parametrize(
    "name",
    ["essay.pdf", "page.gif", "page.heic", "page", "page.jpg.exe", "page.svg", "page.tiff"],
)
def test_it_refuses_a_name_that_is_not_a_photo_it_takes(name):
    with pytest.raises(PhotoRefused, match="JPEG, PNG or WebP"):
        keep_photo(encoded(page(), "JPEG"), name=name)


def test_it_refuses_a_file_that_is_not_what_its_name_says():
    with pytest.raises(PhotoRefused, match="named as a JPEG picture but is a PNG"):
        keep_photo(encoded(page(), "PNG"), name="page.jpg")
    with pytest.raises(PhotoRefused, match="named as a PNG picture but is a JPEG"):
        keep_photo(encoded(page(), "JPEG"), name="page.png")
    # A GIF (or TIFF, BMP...) renamed .png is not opened at all.
    with pytest.raises(PhotoRefused, match="is not a picture"):
        keep_photo(encoded(page(), "GIF"), name="page.png")
    for not_an_image in (b"", b"<html><script>alert(1)</script></html>", b"%PDF-1.7\n" * 50):
        with pytest.raises(PhotoRefused, match="is not a picture"):
            keep_photo(not_an_image, name="page.jpg")


def test_it_refuses_a_truncated_file():
    whole = encoded(page(), "JPEG")
    for cut in (len(whole) // 2, len(whole) - 200):
        with pytest.raises(PhotoRefused, match="damaged or cut short"):
            keep_photo(whole[:cut], name="page.jpg")
    png = encoded(page(), "PNG")
    with pytest.raises(PhotoRefused, match="damaged or cut short"):
        keep_photo(png[: len(png) // 2], name="page.png")


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size (its pixels never come)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def test_it_refuses_huge_dimensions_before_reading_a_pixel():
    with pytest.raises(PhotoRefused, match="too many to open"):
        keep_photo(png_header_claiming(100_000, 100_000), name="huge.png")
    with pytest.raises(PhotoRefused, match="too many to open"):
        keep_photo(png_header_claiming(50_000, 1_001), name="wide.png")


def test_it_refuses_a_strip_that_is_not_the_shape_of_a_page():
    with pytest.raises(PhotoRefused, match="not the shape of a page"):
        keep_photo(png_header_claiming(1_000_000, 1), name="long.png")
    with pytest.raises(PhotoRefused, match="not the shape of a page"):
        keep_photo(encoded(Image.new("RGB", (5000, 10), "white"), "PNG"), name="strip.png")
    # A long page (a phone's scroll of a typed piece) is still taken.
    assert keep_photo(encoded(page(400, 4000), "PNG"), name="long-page.png").height == 2000


def test_it_refuses_a_decompression_bomb():
    # 10,000 x 10,000 of one colour: about 100 KB on disk, 300 MB unpacked.
    bomb = encoded(Image.new("L", (10_000, 10_000), 255), "PNG", optimize=True)
    assert len(bomb) < photos.MAX_BYTES // 10
    with pytest.raises(PhotoRefused, match="too many to open"):
        keep_photo(bomb, name="innocent.png")


def test_it_refuses_a_file_over_the_size_limit_unread():
    with pytest.raises(PhotoRefused, match="at most 15 MB"):
        keep_photo(b"\xff\xd8" + b"\0" * photos.MAX_BYTES, name="big.jpg")


def test_a_polyglot_keeps_only_its_pixels():
    # A real JPEG with a zip archive and a script appended, and a comment carrying HTML:
    # it opens as a picture, and nothing but the pixels survives.
    payload = b"<script>alert('x')</script>"
    jpeg = encoded(page(), "JPEG", comment=payload)
    archive = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("evil.html", payload)
    polyglot = jpeg + archive.getvalue()

    kept = keep_photo(polyglot, name="page.jpg")

    for data in (kept.image, kept.thumbnail):
        assert payload not in data and b"evil.html" not in data and b"PK\x03\x04" not in data
        assert data.startswith(b"\xff\xd8") and data.rstrip(b"\0").endswith(b"\xff\xd9")


def test_an_animated_webp_keeps_its_first_frame():
    frames = [Image.new("RGB", (200, 100), colour) for colour in ("black", "white")]
    data = encoded(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    image = opened(keep_photo(data, name="a.webp").image)
    assert image.getpixel((100, 50))[0] < 20


def test_the_cut_out_is_exactly_the_rectangle():
    kept = keep_photo(encoded(page(), "PNG"), name="page.png")
    box = Box(left=37, top=55, width=333, height=121)

    part = opened(cut_out(kept.image, box))

    assert part.size == (333, 121)
    reference = opened(kept.image).crop((37, 55, 370, 176))
    difference = ImageChops.difference(part.convert("RGB"), reference)
    # Written again as a JPEG, at a high quality: no pixel moves, colours barely.
    assert max(high for _, high in difference.getextrema()) <= 12
    # Shifted by one pixel, the same comparison fails: the test can tell.
    shifted = opened(kept.image).crop((38, 55, 371, 176))
    assert max(high for _, high in ImageChops.difference(part, shifted).getextrema()) > 12


def test_a_box_must_lie_on_the_photo_and_be_big_enough_to_see():
    assert Box(0, 0, 100, 100).fits(100, 100)
    assert not Box(1, 0, 100, 100).fits(100, 100)
    assert not Box(0, 0, photos.MIN_SPOT - 1, 50).fits(100, 100)
    assert not Box(-5, 0, 20, 20).fits(100, 100)
    assert not Box(0, 0, 10**12, 20).fits(100, 100)

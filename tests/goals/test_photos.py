"""Photos of notebook pages, as a teacher uses them: add a sample by photographing its
pages, mark a strength or a place to lift the level on a page, see the cut-outs on the
student's page, the conference screen and the family report; and S17 of TRUST.md: what
an upload must be, where it is served, and to whom."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image, ImageChops
from pypdf import PdfReader

from conferbook.goals import views as goal_views
from conferbook.goals.models import PageSpot, SamplePhoto, Strength, WritingSample
from conferbook.goals.services import mark_spot
from conferbook.lib.photos import Box
from conferbook.privacy.services import delete_student
from tests.factories import (
    ConferenceFactory,
    StudentFactory,
    WritingSampleFactory,
    add_photo,
    library_goal,
    page_upload,
)
from tests.helpers import shown_messages

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def upload(name: str = "IMG_0001.jpg", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, page_upload() if data is None else data, "image/jpeg")


def located() -> bytes:
    """A camera's JPEG with the place it was taken in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "TabletMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (40.0, 44.0, 54.3), 3: "W", 4: (73.0, 59.0, 8.4)})
    return page_upload(exif=exif.tobytes())


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def add_sample(client, student, **fields):
    data = {"title": "Snow day", "kind": "notebook", "written_on": "2026-12-01", "text": ""}
    data.update(fields)
    return client.post(f"/students/{student.pk}/samples/new/", data)


# -- adding a sample by its photos -----------------------------------------------------------


def test_it_adds_a_sample_from_photos_of_its_pages_without_typing(rivera_client, zoe):
    response = add_sample(
        rivera_client, zoe, photos=[upload("IMG_0001.jpg"), upload("IMG_0002.JPEG")]
    )

    sample = WritingSample.objects.get(student=zoe)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/students/{zoe.pk}/#sample-{sample.pk}")
    assert sample.text == ""
    assert list(sample.photos.values_list("position", flat=True)) == [0, 1]
    shown = rivera_client.get(f"/students/{zoe.pk}/")
    assert "Saved “Snow day” with 2 photos." in " ".join(shown_messages(shown))
    page = shown.content.decode()
    for photo in sample.photos.all():
        assert f'src="/photos/{photo.pk}/thumbnail/"' in page
        assert f'href="/photos/{photo.pk}/"' in page
    # Nothing typed, nothing to read: the page offers typing it instead.
    assert f"/samples/{sample.pk}/read/" not in page
    assert f"/samples/{sample.pk}/typed/" in page


def test_it_asks_for_a_photo_or_the_typed_writing(rivera_client, zoe):
    response = add_sample(rivera_client, zoe, title="Nothing yet")
    assert "Add a photo of the page, or type the writing." in response.content.decode()
    assert not WritingSample.objects.exists()


def test_it_refuses_a_file_that_is_not_a_photo_and_keeps_the_typing(rivera_client, zoe):
    response = add_sample(
        rivera_client,
        zoe,
        title="My typed title",
        text="The snow was so deep",
        photos=[upload("page.jpg", b"%PDF-1.7 not a picture"), upload("ok.jpg")],
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "“page.jpg” is not a picture" in body
    assert "My typed title" in body and "The snow was so deep" in body
    assert "choose the photos again" in body
    assert not WritingSample.objects.exists() and not SamplePhoto.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("page.png", page_upload(), "named as a PNG picture but is a JPEG"),
        ("page.gif", page_upload(), "JPEG, PNG or WebP"),
        ("page.jpg", page_upload()[:2000], "damaged or cut short"),
    ],
)
def test_it_says_why_a_photo_is_refused(rivera_client, zoe, name, data, message):
    response = add_sample(rivera_client, zoe, photos=[upload(name, data)])
    assert message in response.content.decode()
    assert not SamplePhoto.objects.exists()


def test_it_refuses_a_request_too_big_before_reading_it(rivera_client, zoe, monkeypatch):
    monkeypatch.setattr(goal_views, "MAX_UPLOAD_BYTES", 10_000)
    response = add_sample(rivera_client, zoe, text="Typed", photos=[upload()])
    assert response.status_code == 413
    assert "more than Conferbook takes at once" in response.content.decode()
    assert not WritingSample.objects.exists()


def test_it_adds_more_pages_after_the_ones_a_sample_has(rivera, rivera_client, zoe):
    sample = WritingSampleFactory(student=zoe, added_by=rivera)
    add_photo(sample)
    response = rivera_client.post(
        f"/samples/{sample.pk}/photos/", {"photos": [upload("p2.jpg"), upload("p3.webp", b"")]}
    )
    # One refused file refuses the lot, with why.
    assert "“p3.webp”" in " ".join(shown_messages(rivera_client.get(response["Location"])))
    assert sample.photos.count() == 1
    rivera_client.post(f"/samples/{sample.pk}/photos/", {"photos": [upload("p2.jpg")]})
    assert list(sample.photos.values_list("position", flat=True)) == [0, 1]


def test_it_reads_the_typed_copy_of_a_photographed_sample(rivera, rivera_client, zoe):
    sample = WritingSampleFactory(student=zoe, added_by=rivera, text="")
    add_photo(sample)
    response = rivera_client.get(f"/samples/{sample.pk}/read/")
    assert response["Location"] == f"/samples/{sample.pk}/typed/"

    page = rivera_client.get(f"/samples/{sample.pk}/typed/").content.decode()
    assert f'src="/photos/{sample.photos.get().pk}/image/"' in page
    response = rivera_client.post(
        f"/samples/{sample.pk}/typed/", {"text": "I went sleding with my brother."}
    )
    assert response["Location"] == f"/samples/{sample.pk}/read/"
    read = rivera_client.get(f"/samples/{sample.pk}/read/").content.decode()
    assert "sleding" in read and "sledding" in read


# -- what is kept and how it is served ---------------------------------------------------


def test_the_kept_photo_has_no_location_and_is_served_never_cached(rivera_client, zoe):
    add_sample(rivera_client, zoe, photos=[upload("IMG_0042.jpg", located())])
    photo = SamplePhoto.objects.get()
    stored = bytes(SamplePhoto.objects.values_list("image", flat=True).get())
    assert not opened(stored).getexif().get_ifd(GPS_IFD) and b"TabletMaker" not in stored

    for url in (f"/photos/{photo.pk}/image/", f"/photos/{photo.pk}/thumbnail/"):
        response = rivera_client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"
        served = opened(response.content)
        assert served.format == "JPEG" and not served.getexif()
        assert b"TabletMaker" not in response.content


def test_every_image_url_is_404_for_another_teacher(rivera, okafor_client, zoe):
    sample = WritingSampleFactory(student=zoe, added_by=rivera)
    photo = add_photo(sample)
    spot = mark_spot(
        teacher=rivera, photo=photo, box=Box(0, 0, 100, 50), kind="strength", description="Voice"
    )
    for url in (
        f"/photos/{photo.pk}/",
        f"/photos/{photo.pk}/image/",
        f"/photos/{photo.pk}/thumbnail/",
        f"/spots/{spot.pk}/image/",
        f"/samples/{sample.pk}/typed/",
    ):
        assert okafor_client.get(url).status_code == 404, url
    for url in (
        f"/photos/{photo.pk}/",
        f"/photos/{photo.pk}/remove/",
        f"/spots/{spot.pk}/remove/",
        f"/samples/{sample.pk}/photos/",
    ):
        assert okafor_client.post(url, {"photos": [upload()]}).status_code == 404, url
    assert SamplePhoto.objects.count() == 1 and PageSpot.objects.count() == 1


# -- marking a part of a page --------------------------------------------------------------


def test_a_strength_marked_on_a_page_keeps_exactly_that_rectangle(rivera, rivera_client, zoe):
    sample = WritingSampleFactory(student=zoe, added_by=rivera, title="Snow day")
    photo = add_photo(sample)
    box = {"left": 61, "top": 140, "width": 377, "height": 96}

    response = rivera_client.post(
        f"/photos/{photo.pk}/",
        {"kind": "strength", "description": "Strong verbs", "note": "crunched, zoomed", **box},
    )

    assert response.status_code == 302
    strength = Strength.objects.get(student=zoe)
    assert (strength.description, strength.evidence, strength.sample) == (
        "Strong verbs",
        "crunched, zoomed",
        sample,
    )
    spot = strength.spots.get()
    assert (spot.left, spot.top, spot.width, spot.height) == (61, 140, 377, 96)
    cut = opened(rivera_client.get(f"/spots/{spot.pk}/image/").content)
    page = opened(rivera_client.get(f"/photos/{photo.pk}/image/").content)
    assert cut.size == (377, 96)
    expected = page.crop((61, 140, 61 + 377, 140 + 96))
    assert max(high for _, high in ImageChops.difference(cut, expected).getextrema()) <= 12
    student_page = rivera_client.get(f"/students/{zoe.pk}/").content.decode()
    assert f'src="/spots/{spot.pk}/image/"' in student_page


def test_a_place_to_lift_the_level_shows_with_its_goal(rivera, rivera_client, zoe):
    photo = add_photo(WritingSampleFactory(student=zoe, added_by=rivera))
    goal = library_goal(1)
    rivera_client.post(
        f"/photos/{photo.pk}/",
        {
            "kind": "lift",
            "goal": goal.pk,
            "note": "Add what she heard",
            "left": 0,
            "top": 0,
            "width": 300,
            "height": 80,
        },
    )
    spot = PageSpot.objects.get(kind="lift")
    assert spot.goal == goal and spot.strength is None and spot.note == "Add what she heard"
    assert not Strength.objects.exists()
    page = rivera_client.get(f"/students/{zoe.pk}/").content.decode()
    lift = page[page.index('id="lift-h"') :]
    assert goal.name in lift and "Add what she heard" in lift
    assert f'src="/spots/{spot.pk}/image/"' in lift


@pytest.mark.parametrize(
    "box",
    [
        {},
        {"left": 0, "top": 0, "width": 3, "height": 3},
        {"left": 800, "top": 0, "width": 200, "height": 50},  # past the right edge (900 wide)
        {"left": -1, "top": 0, "width": 50, "height": 50},
        {"left": 0, "top": 0, "width": 10**20, "height": 50},
        {"left": "x", "top": 0, "width": 50, "height": 50},
    ],
)
def test_it_refuses_a_rectangle_off_the_page_and_keeps_the_typing(rivera, rivera_client, zoe, box):
    photo = add_photo(WritingSampleFactory(student=zoe, added_by=rivera))
    response = rivera_client.post(
        f"/photos/{photo.pk}/",
        {"kind": "strength", "description": "Dialogue that sounds real", **box},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Draw a rectangle on the page first" in body
    assert "Dialogue that sounds real" in body
    assert not PageSpot.objects.exists() and not Strength.objects.exists()


def test_a_strength_needs_its_name(rivera, rivera_client, zoe):
    photo = add_photo(WritingSampleFactory(student=zoe, added_by=rivera))
    response = rivera_client.post(
        f"/photos/{photo.pk}/",
        {"kind": "strength", "left": 0, "top": 0, "width": 100, "height": 100},
    )
    assert "Name the strength" in response.content.decode()
    assert not PageSpot.objects.exists()


def test_removing_a_page_removes_its_marks_and_keeps_the_strength(rivera, rivera_client, zoe):
    photo = add_photo(WritingSampleFactory(student=zoe, added_by=rivera))
    mark_spot(teacher=rivera, photo=photo, box=Box(0, 0, 50, 50), kind="strength", description="V")
    rivera_client.post(f"/photos/{photo.pk}/remove/")
    assert not SamplePhoto.objects.exists() and not PageSpot.objects.exists()
    assert Strength.objects.get().description == "V"


def test_a_coach_looks_at_the_pages_but_marks_nothing(rivera, zoe, coach_of_rivera_client):
    photo = add_photo(WritingSampleFactory(student=zoe, added_by=rivera))
    page = coach_of_rivera_client.get(f"/photos/{photo.pk}/")
    assert page.status_code == 200 and "Save this part" not in page.content.decode()
    assert coach_of_rivera_client.get(f"/photos/{photo.pk}/image/").status_code == 200
    response = coach_of_rivera_client.post(
        f"/photos/{photo.pk}/",
        {"kind": "strength", "description": "x", "left": 0, "top": 0, "width": 50, "height": 50},
    )
    assert response.status_code == 404 and not PageSpot.objects.exists()


@pytest.fixture
def coach_of_rivera_client(rivera, client):
    from conferbook.accounts.models import CoachAssignment
    from tests.factories import TeacherFactory

    coach = TeacherFactory(username="coach")
    CoachAssignment.objects.create(coach=coach, teacher=rivera)
    client.force_login(coach)
    return client


# -- everywhere the cut-outs show ------------------------------------------------------------


def test_the_conference_screen_shows_the_cut_outs(rivera, rivera_client, zoe, room12):
    photo = add_photo(WritingSampleFactory(student=zoe, added_by=rivera))
    strength = mark_spot(
        teacher=rivera, photo=photo, box=Box(0, 0, 80, 40), kind="strength", description="Voice"
    )
    lifts = [
        mark_spot(
            teacher=rivera, photo=photo, box=Box(0, 100 + n, 80, 40), kind="lift", note=f"Lift {n}"
        )
        for n in range(5)
    ]
    conference = ConferenceFactory(
        student=zoe, classroom=room12, teacher=rivera, status="in_progress"
    )
    page = rivera_client.get(f"/conferences/{conference.pk}/").content.decode()
    assert f'src="/spots/{strength.pk}/image/"' in page
    shown = re.findall(r'src="/spots/(\d+)/image/"', page[page.index('id="teach"') :])
    assert len(shown) == 3 and {int(s) for s in shown} <= {s.pk for s in lifts}
    assert f"/photos/{photo.pk}/?next=/conferences/{conference.pk}/" in page


def test_the_family_report_prints_the_cut_outs(rivera, rivera_client, zoe, room12):
    photo = add_photo(WritingSampleFactory(student=zoe, added_by=rivera))
    mark_spot(teacher=rivera, photo=photo, box=Box(0, 0, 300, 90), kind="strength", description="V")
    mark_spot(
        teacher=rivera, photo=photo, box=Box(0, 200, 300, 90), kind="lift", note="Add a sound"
    )
    response = rivera_client.get(f"/students/{zoe.pk}/print/reports.pdf?paper=letter")
    assert response.status_code == 200
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 1
    assert len(pdf.pages[0].images) == 2
    assert "Where we will work next: Add a sound" in pdf.pages[0].extract_text()


def test_the_student_page_reads_in_a_fixed_number_of_queries(rivera, rivera_client, zoe):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert rivera_client.get(f"/students/{zoe.pk}/").status_code == 200
        return len(queries)

    def more() -> None:
        photo = add_photo(WritingSampleFactory(student=zoe, added_by=rivera))
        mark_spot(
            teacher=rivera, photo=photo, box=Box(0, 0, 50, 50), kind="strength", description="V"
        )
        mark_spot(teacher=rivera, photo=photo, box=Box(0, 0, 50, 50), kind="lift")

    more()
    few = count()
    for _ in range(4):
        more()
    assert count() == few


def test_the_page_lists_read_no_image_bytes(rivera, rivera_client, zoe):
    photo = add_photo(WritingSampleFactory(student=zoe, added_by=rivera))
    mark_spot(teacher=rivera, photo=photo, box=Box(0, 0, 50, 50), kind="lift")
    with CaptureQueriesContext(connection) as queries:
        rivera_client.get(f"/students/{zoe.pk}/")
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"image"' not in read and '"thumbnail"' not in read


# -- export and deletion ---------------------------------------------------------------------


def test_the_photos_go_with_the_students_export(rivera, rivera_client, zoe):
    photo = add_photo(WritingSampleFactory(student=zoe, added_by=rivera))
    spot = mark_spot(teacher=rivera, photo=photo, box=Box(5, 5, 60, 30), kind="lift")
    response = rivera_client.post(f"/students/{zoe.pk}/export/", {"format": "zip"})
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        record = json.loads(archive.read("record.json"))
        photos = record["records"]["sample_photos"]
        assert [p["file"] for p in photos] == [f"photos/sample_photos-{photo.pk}.jpg"]
        assert opened(archive.read(photos[0]["file"])).size == (photo.width, photo.height)
        spots = record["records"]["page_spots"]
        assert opened(archive.read(spots[0]["file"])).size == (60, 30)
        assert spots[0]["photo"] == photo.pk and spot.pk


def test_the_class_export_holds_only_its_own_photos(
    rivera, rivera_client, room12, zoe, okafor, marcus
):
    mine = add_photo(WritingSampleFactory(student=zoe, added_by=rivera))
    theirs = add_photo(WritingSampleFactory(student=marcus, added_by=okafor))
    response = rivera_client.post(f"/classes/{room12.pk}/export/")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        names = set(archive.namelist())
    assert f"photos/sample_photos-{mine.pk}.jpg" in names
    assert f"photos/sample_photos-{theirs.pk}.jpg" not in names


def test_deleting_a_student_deletes_their_photos_and_marks(rivera, zoe, room12):
    other = StudentFactory(classroom=room12)
    kept = add_photo(WritingSampleFactory(student=other, added_by=rivera))
    photo = add_photo(WritingSampleFactory(student=zoe, added_by=rivera))
    mark_spot(teacher=rivera, photo=photo, box=Box(0, 0, 50, 50), kind="lift")
    delete_student(student=zoe, actor=rivera)
    assert list(SamplePhoto.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not PageSpot.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="VACUUM INTO is SQLite's backup")
def test_a_backup_holds_the_photos_and_nothing_is_written_beside_the_database(
    rivera, zoe, tmp_path, settings
):
    """`conferbook backup` is VACUUM INTO: the photos are rows, so the copy holds them."""
    import sqlite3
    from pathlib import Path

    before = sorted(Path(settings.DATA_DIR).rglob("*"))
    photo = add_photo(WritingSampleFactory(student=zoe, added_by=rivera))
    assert sorted(Path(settings.DATA_DIR).rglob("*")) == before
    copy = tmp_path / "backup.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy)])
    with sqlite3.connect(copy) as db:
        image, thumbnail = db.execute(
            "select image, thumbnail from goals_samplephoto where id = ?", [photo.pk]
        ).fetchone()
    assert opened(image).size == (photo.width, photo.height) and opened(thumbnail).format == "JPEG"


def test_the_pdf_record_shows_the_photos_and_the_marked_parts(rivera, rivera_client, zoe):
    photo = add_photo(WritingSampleFactory(student=zoe, added_by=rivera))
    mark_spot(teacher=rivera, photo=photo, box=Box(5, 5, 300, 60), kind="lift", note="Here")
    response = rivera_client.post(f"/students/{zoe.pk}/export/", {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    sizes = sorted(
        (image.image.width, image.image.height) for page in pdf.pages for image in page.images
    )
    assert sizes == [(300, 60), (photo.width, photo.height)]

"""Exports: a student's record (JSON, PDF), a class, a teacher's classes and the school (CSV
zips); who may export; S3 (nothing of another class); the audit event; query counts."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

import pytest
from django.test import Client
from pypdf import PdfReader

from conferbook.accounts.models import CoachAssignment
from conferbook.audit.models import Event
from conferbook.conferences.models import Conference
from conferbook.lib.spreadsheet import safe_cell as csv_cell
from conferbook.privacy.registry import REGISTRY
from tests.factories import (
    ClassroomFactory,
    ConferenceFactory,
    StudentFactory,
    TeacherFactory,
    WritingSampleFactory,
)
from tests.helpers import assert_same_count, make_administrator
from tests.privacy.seed import seed_every_kind
from tests.walk import build_world

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil")<script>&amp;'


@pytest.fixture
def seeded(okafor, room7, marcus):
    return seed_every_kind(teacher=okafor, classroom=room7, student=marcus)


@pytest.fixture
def rivera_world(rivera, room12, zoe):
    """Ms Rivera's student with rows like Marcus's, as the marker of another class."""
    return build_world(teacher=rivera, classroom=room12, student=zoe)


def _files(response) -> dict[str, bytes]:
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _csv_files(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: body for name, body in files.items() if not name.startswith("photos/")}


def _rows(raw: bytes) -> list[dict[str, str]]:
    assert raw.startswith(b"\xef\xbb\xbf"), "a CSV file starts with the UTF-8 byte order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_it_exports_a_student_as_json_with_the_data_dictionary(seeded, okafor_client, marcus):
    response = okafor_client.post(f"/students/{marcus.pk}/export/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    record = json.loads(response.content)
    assert record["format_version"] == 1 and record["exported_at"]
    for kind in REGISTRY:
        fields = record["data_dictionary"][kind.key]["fields"]
        assert set(fields) == {c.name for c in kind.columns}
        assert all(fields.values())
        for row in record["records"][kind.key]:
            assert set(row) == set(fields)
    assert record["records"]["students"][0]["first_name"] == "Marcus"
    assert any("leads" in (c["what_we_discussed"] or "") for c in record["records"]["conferences"])


def test_it_exports_a_student_as_a_readable_pdf_with_hostile_text_escaped(
    okafor, okafor_client, marcus
):
    okafor.paper = "a4"
    okafor.save()
    WritingSampleFactory(
        student=marcus, title=HOSTILE, text="<b>not bold</b> & <i>x", written_on=date(2026, 10, 17)
    )
    response = okafor_client.post(f"/students/{marcus.pk}/export/", {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Record of Marcus Lee" in text
    assert "<script>&amp;" in text and "<b>not bold</b> & <i>x" in text
    assert "Saturday 17 October 2026" in text  # days written for a family, not 2026-10-17
    assert "2026-10-17" not in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4


def test_it_refuses_an_unknown_format_plainly(okafor_client, marcus):
    response = okafor_client.post(f"/students/{marcus.pk}/export/", {"format": "xml"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Event.objects.exclude(kind="signed_in").exists()


def test_it_exports_a_class_as_csv_files_safe_for_spreadsheets(
    seeded, okafor_client, room7, marcus, rivera_world
):
    ConferenceFactory(student=marcus, classroom=room7, discussed=HOSTILE, task="-1 +2")
    response = okafor_client.post(f"/classes/{room7.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    files = _files(response)
    assert {f"{kind.key}.csv" for kind in REGISTRY} | {"data_dictionary.csv"} <= set(files)
    conferences = _rows(files["conferences.csv"])
    assert {c["meeting"] for c in conferences} == {"one-on-one", "small group"}
    hostile = next(c for c in conferences if "HYPERLINK" in c["what_we_discussed"])
    assert hostile["what_we_discussed"] == "'" + HOSTILE
    assert hostile["task"] == "'-1 +2"
    assert {"date", "teacher", "student", "goal", "strategy", "task", "task_review"} <= set(
        conferences[0]
    )
    students = _rows(files["students.csv"])
    assert {s["first_name"] for s in students} == {"Marcus", "Zara"}
    # S3: not a trace of Ms Rivera's class or student.
    for name, raw in _csv_files(files).items():
        text = raw.decode("utf-8-sig")
        assert "Zoë" not in text and "Room 12" not in text, name


def test_it_keeps_a_shared_students_other_class_out_of_a_teachers_exports(
    okafor, okafor_client, rivera, room7, room12, marcus
):
    """Marcus is also in Ms Rivera's class: Mr Okafor's exports hold none of its rows."""
    room12.students.add(marcus)
    ConferenceFactory(student=marcus, classroom=room12, teacher=rivera, discussed="Rivera's note")
    ConferenceFactory(student=marcus, classroom=room7, discussed="Okafor's note")
    record = json.loads(
        okafor_client.post(f"/students/{marcus.pk}/export/", {"format": "json"}).content
    )
    notes = [c["what_we_discussed"] for c in record["records"]["conferences"]]
    assert notes == ["Okafor's note"]
    assert [e["class"] for e in record["records"]["enrollments"]] == ["Room 7"]
    files = _files(okafor_client.post("/export/"))
    assert all(b"Rivera's note" not in raw and b"Room 12" not in raw for raw in files.values())


def test_it_exports_all_of_a_teachers_classes(okafor, okafor_client, room7, marcus):
    archived = ClassroomFactory(name="Last year", teachers=[okafor])
    StudentFactory(first_name="Ada", classroom=archived)
    files = _files(okafor_client.post("/export/"))
    assert {s["first_name"] for s in _rows(files["students.csv"])} == {"Marcus", "Ada"}
    assert (
        Event.objects.exclude(kind="signed_in").get().detail
        == "all of the teacher's classes, CSV zip"
    )


def test_it_exports_the_whole_school_for_the_administrator_only(
    okafor, okafor_client, rivera_client, marcus, zoe
):
    assert okafor_client.get("/school/export/").status_code == 404
    assert okafor_client.post("/school/export/").status_code == 404
    make_administrator(okafor)
    assert okafor_client.get("/school/export/").status_code == 200
    files = _files(okafor_client.post("/school/export/"))
    assert {s["first_name"] for s in _rows(files["students.csv"])} == {"Marcus", "Zoë"}
    assert rivera_client.post("/school/export/").status_code == 404


def test_it_lets_a_co_teacher_export_and_not_a_coach(rivera, rivera_client, room7, marcus):
    coach = TeacherFactory()
    CoachAssignment.objects.create(coach=coach, teacher=room7.teachers.get())
    client = Client()
    client.force_login(coach)
    assert client.post(f"/students/{marcus.pk}/export/", {"format": "json"}).status_code == 404
    assert client.post(f"/classes/{room7.pk}/export/").status_code == 404
    room7.teachers.add(rivera)
    assert rivera_client.post(f"/classes/{room7.pk}/export/").status_code == 200


def test_it_records_each_export_in_the_audit_log_without_note_text(
    okafor, okafor_client, room7, marcus
):
    ConferenceFactory(student=marcus, discussed="A private note")
    okafor_client.post(f"/students/{marcus.pk}/export/", {"format": "json"})
    okafor_client.post(f"/students/{marcus.pk}/export/", {"format": "pdf"})
    okafor_client.post(f"/classes/{room7.pk}/export/")
    events = list(
        Event.objects.exclude(kind="signed_in")
        .order_by("id")
        .values("kind", "actor_id", "student_id", "classroom_id", "detail")
    )
    assert events == [
        {
            "kind": "exported",
            "actor_id": okafor.pk,
            "student_id": marcus.pk,
            "classroom_id": None,
            "detail": "student record JSON",
        },
        {
            "kind": "exported",
            "actor_id": okafor.pk,
            "student_id": marcus.pk,
            "classroom_id": None,
            "detail": "student record PDF",
        },
        {
            "kind": "exported",
            "actor_id": okafor.pk,
            "student_id": None,
            "classroom_id": room7.pk,
            "detail": "class CSV zip",
        },
    ]
    assert okafor_client.get(f"/students/{marcus.pk}/export/").status_code == 200
    assert Event.objects.exclude(kind="signed_in").count() == 3  # opening the page records nothing


def test_it_neutralises_every_formula_start():
    for start in ["=", "+", "-", "@", "\t", "\r"]:
        assert csv_cell(f"{start}1") == f"'{start}1"
    assert csv_cell("a=1") == "a=1"
    assert (csv_cell(None), csv_cell(True), csv_cell(False), csv_cell(3)) == ("", "yes", "no", "3")


def _export_queries(size: int) -> tuple[list[str], list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    teacher = TeacherFactory()
    classroom = ClassroomFactory(teachers=[teacher])
    students = StudentFactory.create_batch(size, classroom=classroom)
    for student in students:
        ConferenceFactory.create_batch(2, student=student, classroom=classroom, teacher=teacher)
        WritingSampleFactory(student=student)
    client = Client()
    client.force_login(teacher)
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        response = client.post(f"/students/{students[0].pk}/export/", {"format": "json"})
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as whole:
        response = client.post(f"/classes/{classroom.pk}/export/")
        assert response.status_code == 200
        b"".join(response.streaming_content)
    Conference.objects.all().delete()
    return [q["sql"] for q in one.captured_queries], [q["sql"] for q in whole.captured_queries]


def test_it_exports_in_a_number_of_queries_that_does_not_grow_with_the_class():
    small_one, small_class = _export_queries(2)
    large_one, large_class = _export_queries(12)
    assert_same_count(small_one, large_one, "student export", sizes=(2, 12))
    assert_same_count(small_class, large_class, "class export", sizes=(2, 12))

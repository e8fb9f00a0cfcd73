"""Exports of the record, built from the registry: a student's record as JSON or PDF, and
classes (one, a teacher's, or the whole school's) as a zip of CSV files.

Every export holds the data dictionary: what each kind and each field means. CSV files are
UTF-8 with a byte order mark (so spreadsheet programs read accents right), and a cell that
a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return) starts with an apostrophe instead.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import IO, Any
from xml.sax.saxutils import escape

from django.db.models import QuerySet
from django.utils import timezone
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, Indenter, Paragraph, SimpleDocTemplate, Spacer

from conferbook.lib import clock
from conferbook.lib.sheets import PAPERS
from conferbook.lib.spreadsheet import safe_cell
from conferbook.printables.pdf import BOLD, GREY, REGULAR, register_fonts
from conferbook.privacy.registry import REGISTRY, data_dictionary, plain
from conferbook.roster.models import Classroom, Student

FORMAT_VERSION = 1


def _header(kind_of_export: str) -> dict[str, object]:
    return {
        "format": f"Conferbook {kind_of_export}",
        "format_version": FORMAT_VERSION,
        "exported_at": plain(timezone.now()),
        "time_zone": timezone.get_current_timezone_name(),
    }


def student_record(
    *, student: Student, classrooms: QuerySet[Classroom] | Iterable[int] | None
) -> dict[str, Any]:
    """Everything about `student`, kind by kind; rows that belong to a class only from
    `classrooms` (every class when None). One query a kind."""
    ids = [student.pk]
    return {
        **_header("student record"),
        "student_id": student.pk,
        "data_dictionary": data_dictionary(),
        "records": {
            kind.key: [kind.row_values(row) for row in kind.rows(ids, classrooms=classrooms)]
            for kind in REGISTRY
        },
    }


def student_json(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, indent=2).encode()


# PDF


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=16, leading=20),
        "subtitle": ParagraphStyle("subtitle", parent=body, textColor=GREY, spaceAfter=6),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=BOLD, fontSize=12, leading=15, spaceBefore=10
        ),
        "row": ParagraphStyle("row", parent=body, leftIndent=4 * mm, spaceBefore=4),
    }


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _for_people(value: object) -> object:
    """A day or a moment of the JSON record written out for a family: "2026-10-17" as
    "Saturday 17 October 2026", a moment with its time of day in the school's clock."""
    if not (isinstance(value, str) and ISO_DAY.fullmatch(value[:10])):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    day = f"{clock.long_day_text(moment.date())} {moment.year}"
    return day if len(value) == 10 else f"{day}, {clock.time_text(moment)}"


def _text(value: object) -> str:
    """A value as safe paragraph markup: escaped (< & > are markup to reportlab), with its
    line breaks kept."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return escape(str(value)).replace("\n", "<br/>")


def student_images(
    *, student: Student, classrooms: QuerySet[Classroom] | Iterable[int] | None
) -> dict[str, bytes]:
    """The pictures of a student's record (photos of pages, marked parts), by the path the
    record's "file" fields name."""
    return dict(
        picture for kind in REGISTRY for picture in kind.images([student.pk], classrooms=classrooms)
    )


PICTURE_HEIGHT = 90 * mm  # a page photo in the PDF record; a marked part is shown smaller


def _picture(jpeg: bytes, width: float) -> Image:
    """A picture of the record, fitted to the column and PICTURE_HEIGHT, at the left."""
    pixels_wide, pixels_high = ImageReader(io.BytesIO(jpeg)).getSize()
    scale = min(width / pixels_wide, PICTURE_HEIGHT / pixels_high, 0.5)
    picture = Image(io.BytesIO(jpeg), width=pixels_wide * scale, height=pixels_high * scale)
    picture.hAlign = "LEFT"
    return picture


def student_pdf(
    record: dict[str, Any],
    *,
    name: str,
    paper: str,
    images: Mapping[str, bytes] | None = None,
) -> bytes:
    """The record as a readable PDF on the teacher's paper: one section a kind, each row
    with its fields by name (empty ones left out) and its picture when it has one (from
    `images`, by its "file"), then what each kind holds."""
    styles = _styles()
    size = PAPERS.get(paper, PAPERS["letter"])
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=(size.width * mm, size.height * mm),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Record of {name}",
        creator="Conferbook",
    )
    story: list[Any] = [
        Paragraph(f"Record of {_text(name)}", styles["title"]),
        Paragraph(
            "Everything Conferbook holds about this student, exported "
            f"{_text(_for_people(record['exported_at']))} (times in {_text(record['time_zone'])}).",
            styles["subtitle"],
        ),
    ]
    dictionary = record["data_dictionary"]
    for key, rows in record["records"].items():
        story.append(
            Paragraph(f"{_text(dictionary[key]['title'])} ({len(rows)})", styles["heading"])
        )
        if not rows:
            story.append(Paragraph("None.", styles["body"]))
        for row in rows:
            parts = [
                f"<b>{_text(field.replace('_', ' ').capitalize())}:</b> {_text(_for_people(value))}"
                for field, value in row.items()
                if value not in (None, "")
            ]
            story.append(Paragraph("<br/>".join(parts) or "(empty)", styles["row"]))
            picture = (images or {}).get(str(row.get("file", "")))
            if picture is not None:
                story.append(Indenter(left=4 * mm))
                story.append(_picture(picture, doc.width - 4 * mm))
                story.append(Indenter(left=-4 * mm))
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph("What each part holds", styles["heading"]))
    for entry in dictionary.values():
        story.append(
            Paragraph(
                f"<b>{_text(entry['title'])}</b>: {_text(entry['description'])}", styles["body"]
            )
        )
    doc.build(story)
    return buffer.getvalue()


# CSV


def write_csv_zip(
    target: IO[bytes],
    *,
    students: QuerySet[Student],
    classrooms: QuerySet[Classroom] | Iterable[int] | None,
) -> None:
    """Write a zip of CSV files to `target`: one file a kind (students.csv, goals.csv,
    conferences.csv, ...) with one row a record, and data_dictionary.csv. Rows are read in
    chunks, so a whole school's export does not sit in memory."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in REGISTRY:
            with (
                archive.open(f"{kind.key}.csv", "w") as raw,
                io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
            ):
                writer = csv.writer(text)
                writer.writerow([column.name for column in kind.columns])
                for row in kind.rows(students, classrooms=classrooms).iterator(chunk_size=500):
                    writer.writerow([safe_cell(v) for v in kind.row_values(row).values()])
        with (
            archive.open("data_dictionary.csv", "w") as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
        ):
            writer = csv.writer(text)
            writer.writerow(["file", "field", "description"])
            for key, entry in data_dictionary().items():
                writer.writerow([f"{key}.csv", "", safe_cell(entry["description"])])
                for field, description in entry["fields"].items():  # type: ignore[attr-defined]
                    writer.writerow([f"{key}.csv", field, safe_cell(description)])
        _write_images(archive, students=students, classrooms=classrooms)
        archive.writestr("about.json", json.dumps(_header("export"), ensure_ascii=False, indent=2))


def _write_images(
    archive: zipfile.ZipFile,
    *,
    students: QuerySet[Student] | Iterable[int],
    classrooms: QuerySet[Classroom] | Iterable[int] | None,
) -> None:
    """The photos of the pages and the marked parts, under photos/, as the "file" column of
    their rows names them (JPEGs are stored, not compressed again)."""
    for kind in REGISTRY:
        for path, data in kind.images(students, classrooms=classrooms):
            archive.writestr(path, data, compress_type=zipfile.ZIP_STORED)


def student_zip(
    record: dict[str, Any],
    *,
    student: Student,
    classrooms: QuerySet[Classroom] | Iterable[int] | None,
) -> bytes:
    """The record as JSON with its photos beside it: record.json and photos/."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.json", student_json(record))
        _write_images(archive, students=[student.pk], classrooms=classrooms)
    return buffer.getvalue()

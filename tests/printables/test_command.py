"""`conferbook print` from the command line, validated like the print page."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from conferbook.cli import main
from tests.factories import StudentFactory, StudentGoalFactory


@pytest.fixture
def ingrid(room12):
    student = StudentFactory(first_name="Ingrid", last_name="Søren", classroom=room12)
    StudentGoalFactory(student=student)
    return student


@pytest.mark.django_db
def test_it_writes_the_pdf_a_teacher_asks_for(room12, ingrid, zoe, tmp_path, capsys):
    target = tmp_path / "stickers.pdf"
    code = main(
        ["print", "stickers", "--class", room12.name, "sheet=a4-21", "-o", str(target), "each=4"]
    )
    assert code == 0
    assert f"Wrote {target}" in capsys.readouterr().out
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert float(reader.pages[0].mediabox.width) == pytest.approx(210 * 72 / 25.4, abs=1.5)
    assert reader.pages[0].extract_text().count("Ingrid") == 4


@pytest.mark.django_db
def test_it_prints_for_one_student_by_name(room12, ingrid, zoe, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["print", "chart", "--class", str(room12.pk), "--student", "ingrid søren"]) == 0
    (written,) = tmp_path.glob("*.pdf")
    assert "ingrid" in written.name
    text = PdfReader(io.BytesIO(written.read_bytes())).pages[0].extract_text()
    assert "Ingrid" in text and zoe.shown_name not in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["print", "stickers", "--class", "Room 99"], 'No class called "Room 99"'),
        (["print", "labels", "--class", "ROOM"], 'Nothing called "labels"'),
        (["print", "cards", "--class", "ROOM", "sheet=huge"], "choose one of: letter-cards-10"),
        (["print", "cards", "--class", "ROOM", "start=11"], "This stock has 10 labels"),
        (["print", "poster", "--class", "ROOM", "--student", "Ingrid"], "leave out --student"),
        (["print", "chart", "--class", "ROOM", "--student", "Nobody"], "No student"),
        (["print", "cards", "--class", "ROOM", "who=today"], "Nobody is on today's list"),
        (["print", "cards", "--class", "ROOM", "today"], "is not NAME=VALUE"),
    ],
)
@pytest.mark.django_db
def test_it_explains_what_it_cannot_print(room12, ingrid, tmp_path, capsys, argv, message):
    argv = [room12.name if a == "ROOM" else a for a in argv] + ["-o", str(tmp_path / "x.pdf")]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()

"""`conferbook export`: the same exports from the command line, each in the audit log."""

from __future__ import annotations

import json
import zipfile

import pytest

from conferbook.audit.models import Event
from conferbook.cli import main

pytestmark = pytest.mark.django_db


def test_it_exports_a_student_a_class_a_teacher_and_the_school(
    okafor, room7, marcus, zoe, tmp_path
):
    student = tmp_path / "marcus.json"
    assert main(["export", "--student", str(marcus.pk), "-o", str(student)]) == 0
    assert json.loads(student.read_text())["records"]["students"][0]["first_name"] == "Marcus"
    pdf = tmp_path / "marcus.pdf"
    assert main(["export", "--student", str(marcus.pk), "--format", "pdf", "-o", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    for args, first_names in [
        (["--class", str(room7.pk)], {"Marcus"}),
        (["--teacher", "okafor"], {"Marcus"}),
        (["--school"], {"Marcus", "Zoë"}),
    ]:
        target = tmp_path / "export.zip"
        assert main(["export", *args, "-o", str(target)]) == 0
        with zipfile.ZipFile(target) as archive:
            lines = archive.read("students.csv").decode("utf-8-sig").splitlines()[1:]
        assert {line.split(",")[1] for line in lines} == first_names, args
    assert Event.objects.filter(kind="exported", actor_name="command line").count() == 5


def test_it_says_plainly_what_it_cannot_export(marcus, tmp_path, capsys):
    assert main(["export", "--student", "999999", "-o", str(tmp_path / "x")]) == 2
    assert "no student with the id 999999" in capsys.readouterr().err
    assert main(["export", "--teacher", "nobody", "-o", str(tmp_path / "x")]) == 2
    assert main(["export", "--school", "--format", "pdf", "-o", str(tmp_path / "x")]) == 2
    target = tmp_path / "missing" / "x.json"
    assert main(["export", "--student", str(marcus.pk), "-o", str(target)]) == 2
    assert "Could not write" in capsys.readouterr().err
    assert not Event.objects.exists()

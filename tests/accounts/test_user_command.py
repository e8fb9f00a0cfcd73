"""`conferbook user add|reset|deactivate|reactivate`: accounts for school IT."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conferbook.accounts.models import School, User
from conferbook.audit.models import Event
from conferbook.cli import main
from tests.factories import ClassroomFactory, TeacherFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long walk by the river"
LINK = re.compile(r"Sign-in link:  (\S+)")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["user", *args])
    out, err = capsys.readouterr()
    return code, out, err


def path_of(link: str, base: str) -> str:
    assert link.startswith(base + "/sign-in/")
    return link[len(base) :]


def test_it_adds_a_person_and_prints_a_link_that_works(capsys, monkeypatch):
    monkeypatch.delenv("CONFERBOOK_BASE_URL", raising=False)
    code, out, _ = run(
        capsys, "add", "jlee", "--first-name", "Jin", "--last-name", "Lee", "--role", "coach"
    )
    assert code == 0
    assert "Added Jin Lee (jlee) as literacy coach." in out
    path = path_of(LINK.search(out)[1], "http://127.0.0.1:8000")
    assert Client().post(path, {"password": NEW_PASSWORD}).status_code == 302
    assert Client().login(username="jlee", password=NEW_PASSWORD)
    assert Event.objects.filter(detail="added account jlee as literacy coach").exists()


def test_it_makes_the_first_account_the_administrator(capsys, rivera):
    User.objects.all().delete()
    run(capsys, "add", "head", "--first-name", "Pat", "--role", "teacher")
    assert list(School.objects.get().administrators.values_list("username", flat=True)) == ["head"]
    run(capsys, "add", "second", "--first-name", "Sam")
    assert School.objects.get().administrators.count() == 1


def test_it_builds_the_link_from_the_base_url(capsys, monkeypatch):
    monkeypatch.setenv("CONFERBOOK_BASE_URL", "https://conferbook.school.example/")
    _, out, _ = run(capsys, "add", "jlee", "--first-name", "Jin")
    path_of(LINK.search(out)[1], "https://conferbook.school.example")
    _, out, _ = run(capsys, "reset", "jlee", "--base-url", "http://10.0.0.5:8000")
    path_of(LINK.search(out)[1], "http://10.0.0.5:8000")


def test_it_resets_with_a_new_link_and_the_old_one_stops(capsys, rivera):
    _, out, _ = run(capsys, "reset", "RIVERA")
    first = path_of(LINK.search(out)[1], "http://127.0.0.1:8000")
    _, out, _ = run(capsys, "reset", "rivera")
    second = path_of(LINK.search(out)[1], "http://127.0.0.1:8000")
    assert "This link does not work" in Client().get(first).content.decode()
    assert Client().post(second, {"password": NEW_PASSWORD}).status_code == 302
    assert Client().login(username="rivera", password=NEW_PASSWORD)


def test_it_deactivates_and_reactivates(capsys, rivera, okafor):
    School.objects.create(time_zone="UTC").administrators.add(rivera)
    code, out, _ = run(capsys, "deactivate", "okafor")
    assert code == 0 and "Deactivated okafor" in out
    assert not User.objects.get(username="okafor").is_active
    code, out, _ = run(capsys, "reactivate", "okafor")
    assert code == 0 and User.objects.get(username="okafor").is_active


def test_it_asks_who_takes_the_classes_a_person_teaches_alone(capsys, rivera, okafor):
    School.objects.create(time_zone="UTC").administrators.add(rivera)
    room = ClassroomFactory(name="Room 7", teachers=[okafor])
    code, _, err = run(capsys, "deactivate", "okafor")
    assert code == 1 and "Room 7" in err and "--classes-to USERNAME" in err
    assert User.objects.get(username="okafor").is_active
    code, _, _ = run(capsys, "deactivate", "okafor", "--classes-to", "rivera")
    assert code == 0
    assert rivera in room.teachers.all()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("reset", "nobody"), "No account has the username nobody."),
        (("deactivate", "nobody"), "No account has the username nobody."),
        (("add", "rivera", "--first-name", "Ana"), "The username rivera is taken."),
        (("deactivate", "rivera"), "is the only administrator"),
        (("reactivate", "rivera"), "already active"),
    ],
)
def test_it_says_what_is_wrong_and_exits_non_zero(capsys, rivera, args, said):
    School.objects.create(time_zone="UTC").administrators.add(rivera)
    code, out, err = run(capsys, *args)
    assert code == 1
    assert said in err
    assert "Sign-in link" not in out


def test_it_refuses_an_unknown_role(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["user", "add", "jlee", "--first-name", "Jin", "--role", "principal"])
    assert exit.value.code == 2
    assert "invalid choice: 'principal'" in capsys.readouterr().err
    assert not User.objects.filter(username="jlee").exists()
    TeacherFactory()  # the database is still usable


@pytest.mark.xdist_group("cli")
def test_it_sets_up_a_new_instance_from_the_command_line(tmp_path):
    """As school IT would: a new data folder, the first account from the command line."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CONFERBOOK_HOME"] = str(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "conferbook",
            "user",
            "add",
            "head",
            "--first-name",
            "Pat",
            "--role",
            "administrator",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert LINK.search(done.stdout)
    again = subprocess.run(
        [sys.executable, "-m", "conferbook", "user", "reset", "nobody"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 1
    assert again.stderr.strip() == "No account has the username nobody."

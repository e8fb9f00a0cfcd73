"""Two roster fixes: names in the "added" message, and OneRoster files that are not class lists."""

from __future__ import annotations

import html

import pytest

from conferbook.roster.csv_import import ImportFileError, parse_roster
from conferbook.roster.models import Student
from tests.helpers import shown_messages
from tests.roster.test_views import upload

pytestmark = pytest.mark.django_db

OVERRIDE = "\u202e"


def test_it_drops_a_right_to_left_override_from_the_added_message(rivera_client, room12):
    response = rivera_client.post(
        f"/classes/{room12.pk}/students/new/",
        {"first_name": f"Zoe{OVERRIDE}gnp.exe", "last_name": "Lee"},
        follow=True,
    )

    assert "Zoegnp.exe Lee was added to Room 12." in shown_messages(response)
    assert OVERRIDE not in response.content.decode()
    assert Student.objects.get().first_name == "Zoegnp.exe"  # as saved, and shown elsewhere


ORGS = (
    "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
    "org-1,active,2024-08-20T10:00:00.000Z,Lincoln Elementary,school,0042,district-1\n"
    "district-1,active,2024-08-20T10:00:00.000Z,Springfield District,district,0001,\n"
)


@pytest.mark.parametrize(
    ("text", "file_name"),
    [
        (ORGS, "orgs.csv"),
        (
            "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,"
            "role,primary,beginDate,endDate\ne-1,,,c-1,org-1,u-2,student,false,,\n",
            "enrollments.csv",
        ),
        (
            "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,"
            "classType,location,schoolSourcedId,termSourcedIds\n"
            "c-1,,,Writing 4,04,co-1,W4,scheduled,Room 12,org-1,t-1\n",
            "classes.csv",
        ),
    ],
)
def test_it_refuses_a_oneroster_file_that_is_not_the_users_file(text, file_name):
    with pytest.raises(ImportFileError) as refused:
        parse_roster(text.encode())
    message = str(refused.value)
    assert f"OneRoster's {file_name}" in message
    assert "Upload users.csv" in message


def test_it_tells_the_teacher_when_an_orgs_file_is_uploaded(rivera_client, room12):
    response = upload(rivera_client, room12, ORGS.encode(), name="orgs.csv")

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "This looks like OneRoster's orgs.csv" in page
    assert "Lincoln Elementary" not in page  # no school offered as a student
    assert not Student.objects.exists()
    assert "roster_import" not in rivera_client.session

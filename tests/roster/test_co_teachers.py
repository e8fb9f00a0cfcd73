"""A teacher shares a class with a co-teacher from the class settings, and takes one off."""

from __future__ import annotations

import pytest
from django.test import Client

from conferbook.audit.models import Event
from conferbook.roster import services
from tests.factories import PASSWORD, TeacherFactory
from tests.helpers import shown_messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def lee(db):
    return TeacherFactory(username="lee", first_name="Mia", last_name="Lee")


@pytest.fixture
def lee_client(lee) -> Client:
    client = Client()
    client.force_login(lee)
    return client


def settings_of(classroom) -> str:
    return f"/classes/{classroom.pk}/settings/"


def test_it_offers_the_schools_active_accounts_not_yet_teaching_the_class(
    okafor_client, room7, lee, rivera
):
    gone = TeacherFactory(first_name="Old", last_name="Account", is_active=False)
    page = okafor_client.get(settings_of(room7)).content.decode()
    assert "Teachers of this class" in page
    offered = page[page.index('name="person"') : page.index("</select>")]
    assert "Mia Lee" in offered
    assert "Ana Rivera" in offered
    assert "Ben Okafor" not in offered  # already teaches it
    assert gone.display_name not in offered


def test_it_adds_a_co_teacher_who_then_sees_and_writes_in_the_class(
    okafor, okafor_client, room7, marcus, lee, lee_client
):
    assert lee_client.get(f"/classes/{room7.pk}/").status_code == 404
    response = okafor_client.post(f"/classes/{room7.pk}/teachers/add/", {"person": lee.pk})
    assert response.status_code == 302
    assert "Mia Lee now teaches Room 7 with you." in shown_messages(okafor_client.get("/"))
    assert set(room7.teachers.all()) == {okafor, lee}
    event = Event.objects.get(kind=Event.Kind.CLASS_SHARED)
    assert (event.actor_id, event.classroom_id) == (okafor.pk, room7.pk)
    assert event.detail == "added Mia Lee as co-teacher"
    assert lee_client.get(f"/classes/{room7.pk}/").status_code == 200
    started = lee_client.post("/conferences/start/", {"student": marcus.pk, "classroom": room7.pk})
    assert started.status_code == 302
    assert marcus.conferences.get().teacher == lee


def test_it_refuses_a_turned_off_account_or_one_already_teaching(okafor, okafor_client, room7):
    gone = TeacherFactory(is_active=False)
    for person in (gone, okafor):
        okafor_client.post(f"/classes/{room7.pk}/teachers/add/", {"person": person.pk})
        assert shown_messages(okafor_client.get("/")) == ["Choose a person from the list."]
    assert list(room7.teachers.all()) == [okafor]
    with pytest.raises(services.ShareRefused, match="turned off"):
        services.add_co_teacher(classroom=room7, teacher=gone, added_by=okafor)
    with pytest.raises(services.ShareRefused, match="already teaches"):
        services.add_co_teacher(classroom=room7, teacher=okafor, added_by=okafor)
    assert not Event.objects.filter(kind=Event.Kind.CLASS_SHARED).exists()


def test_it_removes_a_co_teacher_who_then_gets_404(okafor, okafor_client, room7, lee, lee_client):
    room7.teachers.add(lee)
    response = okafor_client.post(f"/classes/{room7.pk}/teachers/remove/", {"person": lee.pk})
    assert response.status_code == 302
    assert list(room7.teachers.all()) == [okafor]
    assert Event.objects.get(kind=Event.Kind.CLASS_SHARED).detail == "removed Mia Lee as co-teacher"
    assert lee_client.get(f"/classes/{room7.pk}/").status_code == 404


def test_it_never_removes_the_last_teacher(okafor, okafor_client, room7):
    okafor_client.post(
        f"/classes/{room7.pk}/teachers/remove/", {"person": okafor.pk, "confirm": "yes"}
    )
    assert list(room7.teachers.all()) == [okafor]
    assert "Room 7 needs at least one teacher" in shown_messages(okafor_client.get("/"))[0]
    page = okafor_client.get(settings_of(room7)).content.decode()
    assert "You are this class's only teacher" in page
    assert "Leave Room 7" not in page
    assert not Event.objects.filter(kind=Event.Kind.CLASS_SHARED).exists()


def test_it_lets_a_teacher_leave_a_shared_class_once_confirmed(okafor, okafor_client, room7, lee):
    room7.teachers.add(lee)
    assert "Leave Room 7" in okafor_client.get(settings_of(room7)).content.decode()
    url = f"/classes/{room7.pk}/teachers/remove/"
    okafor_client.post(url, {"person": okafor.pk})
    assert set(room7.teachers.all()) == {okafor, lee}  # not confirmed
    response = okafor_client.post(url, {"person": okafor.pk, "confirm": "yes"})
    assert response["Location"] == "/"
    assert list(room7.teachers.all()) == [lee]
    assert okafor_client.get(f"/classes/{room7.pk}/").status_code == 404


def test_it_answers_a_person_who_does_not_teach_the_class_with_a_message(
    okafor, okafor_client, room7, rivera
):
    okafor_client.post(f"/classes/{room7.pk}/teachers/remove/", {"person": rivera.pk})
    assert shown_messages(okafor_client.get("/")) == ["Choose a teacher of this class to remove."]
    assert list(room7.teachers.all()) == [okafor]


def test_it_never_shares_a_real_class_with_a_demo_account(okafor, okafor_client, room7):
    from conferbook.accounts.services import create_teacher
    from conferbook.roster.services import ShareRefused, add_co_teacher

    demo = create_teacher(
        username="demo-coteacher", password=PASSWORD, first_name="Demo", is_demo=True
    )
    TeacherFactory(first_name="Real")
    settings_page = okafor_client.get(f"/classes/{room7.pk}/settings/").content.decode()
    assert "Real" in settings_page  # the list of people is there, without the demo account
    assert "Demo" not in settings_page
    okafor_client.post(f"/classes/{room7.pk}/teachers/add/", {"person": demo.pk})
    assert not room7.teachers.filter(pk=demo.pk).exists()
    with pytest.raises(ShareRefused):
        add_co_teacher(classroom=room7, teacher=demo, added_by=okafor)

"""The administrator's People page: adding people with a one-time sign-in link,
deactivating and reactivating, new links, administrators and coaches; only the school's
administrators open it."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from conferbook.accounts.models import CoachAssignment, School, SignInLink, User
from conferbook.audit.models import Event
from tests.accounts.people import client_for, link_on
from tests.factories import PASSWORD, ClassroomFactory, TeacherFactory
from tests.helpers import assert_same_count, make_administrator, queries_for, shown_messages

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long walk by the river"


@pytest.fixture
def admin(rivera) -> User:
    return make_administrator(rivera)


@pytest.fixture
def admin_client(admin) -> Client:
    return client_for(admin)


def add(client: Client, **fields: object):
    data = {"first_name": "Jin", "last_name": "Lee", "username": "jlee", "role": "teacher"}
    return client.post("/people/add/", {**data, **fields})


# Who may open it


def test_it_answers_404_to_anyone_but_an_administrator(okafor, okafor_client, admin):
    for url in ["/people/", "/people/add/", f"/people/{admin.pk}/", "/school/"]:
        assert okafor_client.get(url).status_code == 404, url
    before = User.objects.count()
    assert add(okafor_client).status_code == 404
    assert okafor_client.post(f"/people/{admin.pk}/deactivate/").status_code == 404
    assert User.objects.count() == before
    assert User.objects.get(pk=admin.pk).is_active


def test_it_shows_people_and_school_in_the_navigation_of_administrators_only(
    admin_client, okafor_client
):
    admin_page = admin_client.get("/account/").content.decode()
    teacher_page = okafor_client.get("/account/").content.decode()
    assert 'href="/people/"' in admin_page  # the School link of the top bar
    assert 'href="/people/"' not in teacher_page and 'href="/school/"' not in teacher_page
    assert 'href="/account/"' in teacher_page
    # The school's pages lead to each other.
    people = admin_client.get("/people/").content.decode()
    for address in ("/school/", "/audit/", "/school/deletions/", "/school/export/"):
        assert f'href="{address}"' in people, address


def test_it_stops_a_deactivated_administrator_opening_the_page(admin, okafor):
    make_administrator(okafor)
    client = client_for(admin)
    User.objects.filter(pk=admin.pk).update(is_active=False)
    assert client.get("/people/").status_code in (302, 404)  # signed out, or not theirs


# The list


def test_it_lists_everyone_with_the_roles_their_relations_give(admin, admin_client, okafor):
    ClassroomFactory(name="Room 7", teachers=[okafor])
    ClassroomFactory(name="Room 8", teachers=[okafor])
    coach = TeacherFactory(username="mcoach", first_name="Mia", last_name="Coach")
    CoachAssignment.objects.create(coach=coach, teacher=okafor)
    gone = TeacherFactory(username="gone", is_active=False)
    page = admin_client.get("/people/").content.decode()
    rows = {line for line in page.split("<tr>") if "<td>" in line}
    row = {
        name: next(r for r in rows if f"<td>{name}</td>" in r)
        for name in ("rivera", "okafor", "mcoach", "gone")
    }
    assert "administrator" in row["rivera"]
    assert "teaches 2 classes" in row["okafor"] and "administrator" not in row["okafor"]
    assert "coach of Ben Okafor" in row["mcoach"]
    assert "deactivated" in row["gone"] and gone.username in page


def test_it_lists_people_in_the_same_number_of_queries_however_many(admin, admin_client):
    def build(size: int) -> list[str]:
        teachers = TeacherFactory.create_batch(size)
        coaches = TeacherFactory.create_batch(size)
        for teacher, coach in zip(teachers, coaches, strict=True):
            ClassroomFactory(teachers=[teacher])
            ClassroomFactory(teachers=[teacher])
            CoachAssignment.objects.create(coach=coach, teacher=teacher)
            CoachAssignment.objects.create(coach=coach, teacher=teachers[0]) if teacher != teachers[
                0
            ] else None
        return queries_for(admin_client, "/people/")

    small = build(3)
    User.objects.exclude(pk=admin_client.session["_auth_user_id"]).delete()
    large = build(20)
    assert_same_count(small, large, "People page", sizes=(3, 20))


# Adding a person


def test_it_adds_a_person_and_shows_a_link_once_that_sets_their_password(admin_client, admin):
    response = add(admin_client)
    assert response.status_code == 200
    url, path = link_on(response)
    assert url.startswith("http://testserver/sign-in/")
    person = User.objects.get(username="jlee")
    assert (person.first_name, person.last_name, person.has_usable_password()) == (
        "Jin",
        "Lee",
        False,
    )
    token = path.rstrip("/").rsplit("/", 1)[1]
    stored = SignInLink.objects.get(user=person)
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert response["Cache-Control"].count("no-store")
    # Not retrievable later: neither the People page nor the person's page shows it.
    assert token not in admin_client.get("/people/").content.decode()
    assert token not in admin_client.get(f"/people/{person.pk}/").content.decode()

    newcomer = Client()
    page = newcomer.get(path)
    assert page.status_code == 200 and "jlee" in page.content.decode()
    done = newcomer.post(path, {"password": NEW_PASSWORD})
    assert done.status_code == 302
    assert newcomer.get("/").wsgi_request.user == person
    assert Client().login(username="jlee", password=NEW_PASSWORD)
    assert Event.objects.filter(
        kind="account_changed", detail="added account jlee as teacher"
    ).exists()


def test_it_refuses_a_username_that_is_taken_and_keeps_the_typing(admin_client, okafor):
    response = add(admin_client, username="OKAFOR", first_name="Keep me")
    assert response.status_code == 200
    page = response.content.decode()
    assert "That username is taken" in page and 'value="Keep me"' in page
    assert not User.objects.filter(first_name="Keep me").exists()


def test_it_adds_an_administrator(admin_client):
    add(admin_client, role="administrator")
    assert School.objects.get().administrators.filter(username="jlee").exists()
    assert Event.objects.filter(kind="role_changed", detail="made jlee an administrator").exists()


def test_it_adds_a_coach_with_the_teachers_they_coach(admin_client, okafor):
    add(admin_client, role="coach", teachers=[okafor.pk])
    coach = User.objects.get(username="jlee")
    assert list(CoachAssignment.objects.filter(coach=coach).values_list("teacher", flat=True)) == [
        okafor.pk
    ]
    assert not School.objects.get().administrators.filter(pk=coach.pk).exists()


# Deactivating and reactivating


def test_it_deactivates_an_account_and_ends_its_sessions(admin_client, okafor, okafor_client):
    assert okafor_client.get("/").status_code == 200
    assert Session.objects.count() == 2
    response = admin_client.post(f"/people/{okafor.pk}/deactivate/", follow=True)
    assert "Ben Okafor's account is deactivated." in shown_messages(response)
    okafor.refresh_from_db()
    assert not okafor.is_active
    assert Session.objects.count() == 1  # the administrator's own
    assert okafor_client.get("/")["Location"].startswith("/login/")
    assert not Client().login(username="okafor", password=PASSWORD)
    assert Event.objects.filter(detail="deactivated account okafor").exists()

    admin_client.post(f"/people/{okafor.pk}/reactivate/")
    okafor.refresh_from_db()
    assert okafor.is_active
    assert Client().login(username="okafor", password=PASSWORD)
    assert Event.objects.filter(detail="reactivated account okafor").exists()


def test_it_keeps_a_shared_class_with_its_co_teacher(admin_client, okafor, rivera):
    shared = ClassroomFactory(teachers=[okafor, rivera])
    admin_client.post(f"/people/{okafor.pk}/deactivate/")
    okafor.refresh_from_db()
    assert not okafor.is_active
    assert rivera in shared.teachers.all()


def test_it_asks_who_takes_a_class_the_person_teaches_alone(admin_client, okafor, rivera):
    alone = ClassroomFactory(name="Room 7", teachers=[okafor])
    page = admin_client.get(f"/people/{okafor.pk}/").content.decode()
    assert "Who takes over the classes this person teaches alone?" in page
    refused = admin_client.post(f"/people/{okafor.pk}/deactivate/")
    assert refused.status_code == 200
    assert (
        "Choose who takes over the class this person teaches alone (Room 7)"
        in refused.content.decode()
    )
    okafor.refresh_from_db()
    assert okafor.is_active

    admin_client.post(f"/people/{okafor.pk}/deactivate/", {"classes_to": rivera.pk})
    okafor.refresh_from_db()
    assert not okafor.is_active
    assert rivera in alone.teachers.all()


def test_it_refuses_to_deactivate_yourself_or_the_last_administrator(admin, admin_client, okafor):
    response = admin_client.post(f"/people/{admin.pk}/deactivate/")
    assert "You cannot deactivate your own account." in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active
    # Mr Okafor, another administrator, cannot deactivate the last one either: once Ms
    # Rivera has stopped being one, he is the last.
    make_administrator(okafor)
    admin_client.post(f"/people/{admin.pk}/administrator/", {"administrator": "no"})
    assert not School.objects.get().administrators.filter(pk=admin.pk).exists()
    refused = admin_client.post(
        f"/people/{okafor.pk}/administrator/", {"administrator": "no"}, follow=True
    )
    assert refused.status_code == 404  # she is no administrator any more
    okafor_client = client_for(okafor)
    said = shown_messages(
        okafor_client.post(
            f"/people/{okafor.pk}/administrator/", {"administrator": "no"}, follow=True
        )
    )
    assert any("is the only administrator" in m for m in said)
    assert School.objects.get().administrators.filter(pk=okafor.pk).exists()


def test_it_refuses_to_deactivate_the_last_administrator_from_the_command_line_too(admin):
    from conferbook.accounts import services

    with pytest.raises(services.Refused, match="only administrator"):
        services.deactivate_account(by=None, user=admin)


# New links, administrators, coaches


def test_it_makes_a_new_link_and_earlier_ones_stop_working(admin_client, okafor):
    _, first = link_on(admin_client.post(f"/people/{okafor.pk}/new-link/"))
    _, second = link_on(admin_client.post(f"/people/{okafor.pk}/new-link/"))
    assert first != second
    assert "This link does not work" in Client().get(first).content.decode()
    assert Client().post(second, {"password": NEW_PASSWORD}).status_code == 302
    assert Client().login(username="okafor", password=NEW_PASSWORD)
    assert Event.objects.filter(detail="issued a password reset link for okafor").count() == 2


def test_it_grants_and_removes_administrator(admin_client, okafor):
    admin_client.post(f"/people/{okafor.pk}/administrator/", {"administrator": "yes"})
    assert client_for(okafor).get("/people/").status_code == 200
    admin_client.post(f"/people/{okafor.pk}/administrator/", {"administrator": "no"})
    assert client_for(okafor).get("/people/").status_code == 404
    assert list(Event.objects.filter(kind="role_changed").values_list("detail", flat=True)) == [
        "removed okafor as administrator",
        "made okafor an administrator",
    ]


def test_it_assigns_and_removes_a_coach(admin_client, okafor, room7, marcus):
    coach = TeacherFactory(username="mcoach")
    coach_client = client_for(coach)
    assert coach_client.get(f"/classes/{room7.pk}/").status_code == 404
    admin_client.post(f"/people/{coach.pk}/coaching/", {"teachers": [okafor.pk]})
    assert CoachAssignment.objects.filter(coach=coach, teacher=okafor).exists()
    assert "coach of Ben Okafor" in admin_client.get("/people/").content.decode()
    admin_client.post(f"/people/{coach.pk}/coaching/remove/", {"teacher": okafor.pk})
    assert not CoachAssignment.objects.filter(coach=coach).exists()
    assert list(Event.objects.filter(kind="role_changed").values_list("detail", flat=True)) == [
        "removed mcoach as coach of okafor",
        "assigned mcoach to coach okafor",
    ]


# The school page


def test_it_saves_the_retention_setting_on_the_school_page(admin_client):
    form = {"school_name": "Hillside", "time_zone": "UTC", "clock": "12"}
    School.objects.update(time_zone="UTC")
    admin_client.post("/school/", {**form, "retention_days": "200"})
    assert School.objects.get().retention_days == 200
    refused = admin_client.post("/school/", {**form, "retention_days": "0"})
    assert refused.status_code == 200 and School.objects.get().retention_days == 200
    assert 'value="0"' in refused.content.decode()


# The first account


def test_it_makes_the_first_account_the_administrator():
    client = Client()
    response = client.post(
        "/welcome/",
        {
            "first_name": "Ana",
            "last_name": "Rivera",
            "username": "rivera",
            "password": PASSWORD,
            "school_name": "Hillside",
            "time_zone": "UTC",
            "clock": "12",
        },
    )
    assert response.status_code == 302
    assert list(School.objects.get().administrators.values_list("username", flat=True)) == [
        "rivera"
    ]
    assert client.get("/people/").status_code == 200


def test_it_never_lets_a_demo_coach_read_a_real_teachers_classes(admin, okafor):
    from conferbook.accounts.services import Refused, assign_coach, create_teacher

    demo_coach = create_teacher(
        username="demo-coach", password="a long demo password", is_demo=True
    )
    with pytest.raises(Refused):
        assign_coach(by=admin, coach=demo_coach, teachers=[okafor])
    assert not demo_coach.coachings.exists()

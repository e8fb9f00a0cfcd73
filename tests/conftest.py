"""Personas: Ms Rivera and Mr Okafor teach different classes and must never see each other's."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from conferbook.accounts.models import User
from conferbook.roster.models import Classroom, Student
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory


def _test_clock_moment():
    """The moment `CONFERBOOK_TEST_CLOCK` asks for (None when unset), worked out once: a
    time alone is today's, by the real date, so every test starts on the same day."""
    wanted = os.environ.get("CONFERBOOK_TEST_CLOCK")
    if not wanted:
        return None
    from datetime import datetime

    if "T" not in wanted:
        wanted = f"{datetime.now().date().isoformat()}T{wanted}"
    return datetime.fromisoformat(wanted).astimezone()


TEST_CLOCK = _test_clock_moment()


def pytest_configure(config: pytest.Config) -> None:
    """The whole run starts at the test clock, so that what tests work out as they are
    collected (next Monday, a coming weekday) is worked out on the same day."""
    if TEST_CLOCK is not None:
        import time_machine

        time_machine.travel(TEST_CLOCK, tick=True).start()


@pytest.fixture(autouse=True)
def wall_clock():
    """`CONFERBOOK_TEST_CLOCK=23:58 make test` starts every test as if the wall clock read
    23:58 today (the clock then runs on from there): the way to find a test that passes
    only at some hours of the day. A full date and time (2027-03-14T01:30) moves the day
    too. Unset, the tests run on the real clock."""
    if TEST_CLOCK is None:
        yield
        return
    import time_machine

    with time_machine.travel(TEST_CLOCK, tick=True):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Hashing strength is Django's business; the tests only need passwords to work."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def school_time_of_its_own():
    """Each test starts in the default time zone and clock: a request made through the
    test client activates the school's zone in this very thread (SchoolTimeMiddleware),
    and it must not leak into the next test (a demo loaded in one zone and served in
    another books clashing times)."""
    from django.utils import timezone

    from conferbook.accounts.selectors import forget_school_time
    from conferbook.lib import clock

    forget_school_time()  # a school kept by the process belongs to an earlier test
    timezone.deactivate()
    clock.activate(clock.TWELVE_HOUR)
    yield
    timezone.deactivate()
    clock.activate(clock.TWELVE_HOUR)


@pytest.fixture
def at_midday():
    """Today at noon, the clock running on: for a test of what happens later today (the
    rest of today's bookings), which has no "later today" when it runs just before
    midnight."""
    from datetime import datetime, time

    import time_machine
    from django.utils import timezone

    noon = timezone.make_aware(datetime.combine(timezone.localdate(), time(12, 0)))
    with time_machine.travel(noon, tick=True):
        yield noon


@pytest.fixture
def rivera(db) -> User:
    return TeacherFactory(username="rivera", first_name="Ana", last_name="Rivera")


@pytest.fixture
def okafor(db) -> User:
    return TeacherFactory(username="okafor", first_name="Ben", last_name="Okafor")


@pytest.fixture
def room12(rivera) -> Classroom:
    return ClassroomFactory(name="Room 12", teachers=[rivera])


@pytest.fixture
def room7(okafor) -> Classroom:
    return ClassroomFactory(name="Room 7", teachers=[okafor])


@pytest.fixture
def zoe(room12) -> Student:
    return StudentFactory(first_name="Zoë", last_name="Nguyễn", classroom=room12)


@pytest.fixture
def marcus(room7) -> Student:
    return StudentFactory(first_name="Marcus", last_name="Lee", classroom=room7)


@pytest.fixture
def rivera_client(rivera) -> Client:
    client = Client()
    client.force_login(rivera)
    return client


@pytest.fixture
def okafor_client(okafor) -> Client:
    client = Client()
    client.force_login(okafor)
    return client


@pytest.fixture
def okafor_world(okafor, room7, marcus):
    """One of every row that can hang off Mr Okafor's class (see tests/walk.py). Mr Okafor
    also administers the school (the People and School pages), Ms Rivera does not."""
    from conferbook.accounts.services import ensure_school
    from tests.walk import build_world

    ensure_school().administrators.add(okafor)
    return build_world(teacher=okafor, classroom=room7, student=marcus)

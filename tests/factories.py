"""Small factory_boy factories for the tests."""

from __future__ import annotations

import io
from datetime import timedelta

import factory
from django.utils import timezone
from PIL import Image, ImageDraw

from conferbook.accounts.models import User
from conferbook.conferences.models import Conference, EarnedSticker
from conferbook.goals.models import Goal, SamplePhoto, Strength, StudentGoal, WritingSample
from conferbook.goals.services import add_sample_photos
from conferbook.lib.photos import keep_photo
from conferbook.roster.models import Classroom, Enrollment, Student

PASSWORD = "correct horse battery"


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"teacher{n}")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Teacher{n}")
    password = factory.django.Password(PASSWORD)


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Room {n}")

    @factory.post_generation
    def teachers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.teachers.add(*extracted)


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student
        skip_postgeneration_save = True

    first_name = factory.Sequence(lambda n: f"Student{n}")
    last_name = "Example"
    grade = "4"

    @factory.post_generation
    def classroom(obj, create, extracted, **kwargs):
        if create and extracted:
            Enrollment.objects.create(classroom=extracted, student=obj)


def library_goal(index: int = 0) -> Goal:
    """A built-in goal from the shipped library."""
    return Goal.objects.filter(owner=None).order_by("pk")[index]


class StudentGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentGoal

    student = factory.SubFactory(StudentFactory)
    goal = factory.LazyFunction(library_goal)
    set_on = factory.LazyFunction(timezone.localdate)


class WritingSampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WritingSample

    student = factory.SubFactory(StudentFactory)
    title = "My dog Biscuit"
    written_on = factory.LazyFunction(timezone.localdate)
    text = "My dog Biscuit runs like a rocket when the mail truck comes. He barks and barks."


class StrengthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strength

    student = factory.SubFactory(StudentFactory)
    description = "Uses strong verbs"
    evidence = "runs like a rocket"
    noted_on = factory.LazyFunction(timezone.localdate)


class ConferenceFactory(factory.django.DjangoModelFactory):
    """A held conference a week ago, unless told otherwise."""

    class Meta:
        model = Conference

    student = factory.SubFactory(StudentFactory)
    classroom = factory.LazyAttribute(lambda c: c.student.classrooms.first())
    status = Conference.Status.HELD
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    ended_at = factory.LazyAttribute(lambda c: c.started_at + timedelta(minutes=4))
    duration_seconds = 240
    discussed = "Talked about leads."
    task = "Try two new leads."


class EarnedStickerFactory(factory.django.DjangoModelFactory):
    """A sticker earned in a conference, for the conference's goal unless told otherwise."""

    class Meta:
        model = EarnedSticker

    conference = factory.SubFactory(ConferenceFactory)
    student = factory.LazyAttribute(lambda s: s.conference.student)
    goal = factory.LazyAttribute(lambda s: s.conference.student_goal.goal)
    earned_on = factory.LazyAttribute(lambda s: timezone.localtime(s.conference.started_at).date())


def page_upload(
    width: int = 900, height: int = 1200, *, fmt: str = "JPEG", exif: bytes = b""
) -> bytes:
    """The bytes of a photographed notebook page: ruled lines and a block of "writing"."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for y in range(80, height, 48):
        draw.line([(0, y), (width, y)], fill=(110, 140, 210), width=2)
    draw.rectangle([60, 70, width // 2, height // 6], fill=(25, 25, 25))
    out = io.BytesIO()
    image.save(out, fmt, **({"exif": exif} if exif else {}))
    return out.getvalue()


def add_photo(sample: WritingSample, *, by: User | None = None, **page: int) -> SamplePhoto:
    """A page photo of `sample`, kept as an upload is."""
    kept = keep_photo(page_upload(**page), name="page.jpg")
    return add_sample_photos(teacher=by or sample.added_by, sample=sample, photos=[kept])[0]  # type: ignore[arg-type]

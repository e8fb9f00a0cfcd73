"""The demo class: a realistic fourth-grade writing class a newcomer can look at at once.

`load_demo()` (re)builds, in one transaction:

- the demo teacher account "demo" (`is_demo=True`) with a new random password on every
  call; an existing demo account keeps its row, gets the new password, and loses its
  classes, their students (and everything recorded about them) and its own library rows
  before the class is rebuilt, so running it twice leaves exactly one demo class;
- while the instance has no real account, the demo teacher also administers the school
  (People, School, Audit log); the first real account takes that over;
- two more demo accounts with the same password, so the roles show at once: a co-teacher
  ("demo-coteacher") who shares the class and held the conferences of Tuesdays and
  Thursdays, and a literacy coach ("demo-coach") assigned to the demo teacher, who reads
  the class and writes nothing;
- one class, "Room 14 Writing (demo)", writing Mon-Fri 10:00-11:00 with a 10-minute
  mini-lesson, one 10-minute small-group slot (10:10) and 5-minute conferences after it
  (10:20-10:55);
- 29 students with 1-2 active goals from the built-in library (a few with an earlier
  goal already met), one or two writing samples each and strengths quoted from them,
  each strength linked to the library goal it shows (when the library has that goal), so
  complementary partnerships find a classmate strong where a student is working;
- six weeks of held conferences ending yesterday, on writing days at conference slot
  times, each student seen every few school days as the class calendar asks (its gap:
  ceil(29 / 8 slots) = 4 school days), so nobody is overdue but the two below;
- booked appointments for most students on the day they fall due, today included (the
  class calendar's suggestion: the first free slot that day, never two in one slot); a
  few students have none, two of them last seen long enough ago to be overdue by several
  school days.
- picture-clue stickers earned in about a quarter of the conferences where the student
  had done last time's task, for the goal of that conference.
- one saved small group, as the groups page suggests it (so it shows as accepted there):
  3-4 students, none of them overdue, of the most shared goal such a group exists for,
  with the goal's first strategy (when none exists: up to four students of the most
  shared goal); and one held small-group conference of it 3-6 school days ago, booked
  in the group slot, so it never clashes with a conference; each member has a row in
  their chart (one member a task of their own) and counts as seen. The other suggested
  groups and all partnerships are left for the teacher to accept.
- self-assessments on the grade-band narrative checklist for about a third of the
  students, in the last two weeks, some filled in by the student: mostly "not yet" on the
  lines of their active goals, "yes" on those of goals met or strengths they have; at
  least two say "not yet" to a line whose goal they are not working on, so the
  conference screen proposes a goal.

Nothing belonging to a real (non-demo) teacher is read or written; if a real account is
already called "demo", `load_demo` refuses with RuntimeError. Everything except the
password is deterministic for a given `seed` and `today`.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from conferbook.accounts.models import CoachAssignment, User
from conferbook.accounts.selectors import use_school_time
from conferbook.accounts.services import create_teacher, let_demo_administer
from conferbook.calendar.rules import Busy
from conferbook.calendar.selectors import calendar_for
from conferbook.conferences.models import Conference, EarnedSticker, GroupConference
from conferbook.demo_pages import NotebookPage, notebook_page
from conferbook.goals.models import (
    Checklist,
    ChecklistItem,
    Goal,
    GoalCategory,
    MentorText,
    PageSpot,
    Rating,
    Strategy,
    Strength,
    StudentGoal,
    WritingSample,
)
from conferbook.goals.services import (
    add_writing_sample,
    close_goal,
    mark_spot,
    record_self_assessment,
    record_strength,
    set_goal,
)
from conferbook.groups.selectors import class_goals, first_strategies, library_order
from conferbook.groups.services import save_small_group
from conferbook.groups.suggest import suggest_groups
from conferbook.lib.photos import keep_photo
from conferbook.roster.models import Classroom, Student
from conferbook.roster.selectors import classrooms_for
from conferbook.roster.services import add_student, create_classroom
from conferbook.scheduling.models import GroupAppointment

DEMO_USERNAME = "demo"
DEMO_CO_TEACHER = ("demo-coteacher", "Sam", "Okafor")
DEMO_COACH = ("demo-coach", "Rosa", "Lindqvist")
CO_TEACHER_WEEKDAYS = (1, 3)  # the co-teacher holds the conferences of Tuesdays and Thursdays
DEMO_CLASS_NAME = "Room 14 Writing (demo)"
GRADE = 4
HISTORY_DAYS = 42  # six calendar weeks of held conferences, ending yesterday
OVERDUE_BY = 3  # the overdue students' due day passed at least this many school days ago
MIN_LIBRARY_GOALS = 10
GROUP_SIZES = (3, 4)  # the saved small group
GROUP_DAYS_AGO = (3, 6)  # its conference was held this many school days ago (from, to)
CHECKLIST_KEY = "narrative-3-5"  # the fourth graders' grade band
ASSESSMENT_SCHOOL_DAYS = 10  # self-assessments were taken in the last two weeks
PHOTOGRAPHED_STUDENTS = 4  # whose first sample is a photographed notebook page too

# Readable: no 0/o, 1/l/i.
_READABLE_CHARACTERS = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class DemoResult:
    username: str
    password: str
    co_teacher: str  # username; same password
    coach: str  # username; same password
    classroom: Classroom
    students: int
    conferences: int  # held one-on-one conferences in the six-week history
    group_conferences: int  # held small-group conferences


def load_demo(*, today: date | None = None, seed: int = 2026) -> DemoResult:
    """Create or reset the demo teacher and rebuild their class; see the module docstring."""
    # The demo's days and times are the school's, as the pages that show it will read them.
    use_school_time()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    password = _new_password()
    with transaction.atomic():
        goals = _goal_pool()
        teacher = _reset_demo_teacher(password)
        let_demo_administer(teacher)
        co_teacher = _reset_demo_helper(*DEMO_CO_TEACHER, password=password)
        coach = _reset_demo_helper(*DEMO_COACH, password=password)
        CoachAssignment.objects.get_or_create(coach=coach, teacher=teacher)
        classroom = create_classroom(
            teacher=teacher,
            name=DEMO_CLASS_NAME,
            writing_days="01234",
            block_start=time(10, 0),
            block_end=time(11, 0),
            mini_lesson_minutes=10,
            conference_minutes=5,
            group_slots_per_day=1,
            group_minutes=10,
        )
        classroom.teachers.add(co_teacher)
        builder = _Builder(
            rng=rng,
            teacher=teacher,
            co_teacher=co_teacher,
            classroom=classroom,
            goals=goals,
            shown_goals=_shown_goals(),
            today=today,
        )
        held, group_held = builder.build()
    return DemoResult(
        username=DEMO_USERNAME,
        password=password,
        co_teacher=co_teacher.username,
        coach=coach.username,
        classroom=classroom,
        students=len(builder.students),
        conferences=held,
        group_conferences=group_held,
    )


def _new_password() -> str:
    groups = ("".join(secrets.choice(_READABLE_CHARACTERS) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


def _goal_pool() -> dict[str, Goal]:
    """Built-in goals a fourth grader might work on, by key, with their strategies loaded."""
    builtin = Goal.objects.filter(owner=None)
    if builtin.count() < MIN_LIBRARY_GOALS:
        raise RuntimeError(
            "The built-in goal library is missing or incomplete "
            f"({builtin.count()} goals, need at least {MIN_LIBRARY_GOALS}); "
            "run `manage.py migrate` or `manage.py loadlibrary` first."
        )
    candidates = {
        goal.key: goal
        for goal in builtin.filter(grade_low__lte=GRADE, grade_high__gte=GRADE)
        .prefetch_related("strategies")
        .order_by("key")
        if any(s.owner_id is None for s in goal.strategies.all())
    }
    pool = {key: candidates[key] for key in PREFERRED_GOALS if key in candidates}
    # A library without the goals we name still gives a demo: top up in a stable order.
    for key in sorted(candidates):
        if len(pool) >= len(PREFERRED_GOALS):
            break
        pool.setdefault(key, candidates[key])
    if len(pool) < 3:
        raise RuntimeError("The built-in goal library has too few goals with strategies.")
    return pool


def _shown_goals() -> dict[str, Goal]:
    """The built-in goals the strengths in SAMPLES show, by key (a key the library lacks is
    left out: that strength is then recorded without a goal)."""
    keys = {goal for sample in SAMPLES for _, _, goal in sample.strengths}
    return {goal.key: goal for goal in Goal.objects.filter(owner=None, key__in=keys)}


def _reset_demo_teacher(password: str) -> User:
    user = User.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        return create_teacher(
            username=DEMO_USERNAME,
            password=password,
            first_name="Demo",
            last_name="Teacher",
            is_demo=True,
        )
    if not user.is_demo:
        raise RuntimeError(
            f"A real teacher account is already called “{DEMO_USERNAME}”; "
            "the demo will not touch it."
        )
    _delete_demo_data(user)
    user.first_name, user.last_name = "Demo", "Teacher"
    user.set_password(password)
    user.save()
    return user


def _reset_demo_helper(username: str, first_name: str, last_name: str, *, password: str) -> User:
    """A demo co-teacher or coach: created once, given the new password each time; its
    coach assignments are made again by the caller."""
    user = User.objects.filter(username=username).first()
    if user is None:
        return create_teacher(
            username=username,
            password=password,
            first_name=first_name,
            last_name=last_name,
            is_demo=True,
        )
    if not user.is_demo:
        raise RuntimeError(
            f"A real account is already called “{username}”; the demo will not touch it."
        )
    CoachAssignment.objects.filter(coach=user).delete()
    user.first_name, user.last_name, user.is_active = first_name, last_name, True
    user.set_password(password)
    user.save()
    return user


def _delete_demo_data(user: User) -> None:
    """Remove the demo teacher's classes, their students' records and the demo's own library.

    A class shared with a real teacher, and a student also enrolled in a real teacher's
    class, are left alone.
    """
    classrooms = list(
        classrooms_for(teacher=user, include_archived=True)
        .exclude(teachers__is_demo=False)
        .values_list("pk", flat=True)
    )
    student_ids = set(
        Student.objects.filter(classrooms__in=classrooms).values_list("pk", flat=True)
    ) - set(
        Student.objects.filter(
            classrooms__in=Classroom.objects.exclude(pk__in=classrooms)
        ).values_list("pk", flat=True)
    )
    Student.objects.filter(pk__in=student_ids).delete()
    Classroom.objects.filter(pk__in=classrooms).delete()
    MentorText.objects.filter(owner=user).delete()
    Strategy.objects.filter(owner=user).delete()
    Goal.objects.filter(owner=user).delete()
    GoalCategory.objects.filter(owner=user).delete()
    user.hidden_goals.clear()
    user.hidden_strategies.clear()


# -- the class ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    first: str
    last: str
    preferred: str = ""
    school_id: str = ""


# Invented names; any likeness to a real child is chance.
STUDENTS: tuple[_Name, ...] = (
    _Name("Zoë", "Lindqvist", school_id="40117"),
    _Name("José", "Ramírez"),
    _Name("Thu", "Nguyễn", school_id="40122"),
    _Name("Łukasz", "Nowicki"),
    _Name("Søren", "Dahl", school_id="40131"),
    _Name("Aaliyah", "Brooks"),
    _Name("Chidi", "Eze", school_id="40140"),
    _Name("Mei", "Zhou"),
    _Name("Santiago", "Herrera", school_id="40152"),
    _Name("Priya", "Raman"),
    _Name("Oluwaseun", "Adeyemi", preferred="Seun", school_id="40163"),
    _Name("Ingrid", "Halvorsen"),
    _Name("Alexander", "Petrov", preferred="Xander"),
    _Name("Fatima", "Haddad", school_id="40178"),
    _Name("Mateo", "Silva"),
    _Name("Amara", "Diallo", school_id="40185"),
    _Name("Kenji", "Watanabe"),
    _Name("Noor", "Rahimi", school_id="40191"),
    _Name("Elif", "Yılmaz"),  # noqa: RUF001 (Turkish dotless i, on purpose)
    _Name("Declan", "Byrne", school_id="40203"),
    _Name("Isabella", "Rossi", preferred="Bella"),
    _Name("Tevita", "Havili", school_id="40214"),
    _Name("Hana", "Seo"),
    _Name("Malik", "Greene", school_id="40226"),
    _Name("Siobhán", "Gallagher"),
    _Name("Arjun", "Mehta", school_id="40237"),
    _Name("Camille", "Dubois"),
    _Name("Yusuf", "Abdi", school_id="40249"),
    _Name("Lucía", "Fernández"),
)

# Goals the demo draws from, most used first; keys of the built-in library.
PREFERRED_GOALS: tuple[str, ...] = (
    "use-dialogue",
    "punctuate-dialogue",
    "show-dont-tell",
    "strong-lead",
    "zoom-in-on-one-part",
    "inner-thinking",
    "sensory-details",
    "paragraphs-and-sections",
    "strong-ending",
    "support-with-evidence",
    "precise-words",
    "use-commas",
    "edit-for-spelling",
    "sound-alike-words",
    "complete-sentences",
    "reread-and-revise",
)


@dataclass(frozen=True)
class _Sample:
    title: str
    piece: str  # how the teacher's notes refer to it
    kind: str
    text: str
    # (strength, evidence found word for word in text, key of the library goal it shows)
    strengths: tuple[tuple[str, str, str], ...]
    next_steps: tuple[str, ...]  # goal keys this piece points to


# Short pieces written for this project, with the slips a fourth grader makes.
# {friend}, {pet}, {cousin} and {food} vary them from student to student.
SAMPLES: tuple[_Sample, ...] = (
    _Sample(
        title="My Loose Tooth",
        piece="tooth story",
        kind=WritingSample.Kind.NOTEBOOK,
        text=(
            "My tooth was wigling all day at school. At lunch I bit into my apple and "
            "CRUNCH! it came out. I was so suprised I almost dropped my tray. {friend} said "
            '"put it in your pocket" but I was scared I would lose it so I rapped it in a '
            "napkin. When I got home I showed my mom and she laughed so hard she had to sit "
            "down. That night I put it under my pillow and I couldnt sleep becuase I kept "
            "checking if it was still there."
        ),
        strengths=(
            ("Uses a sound word to make the moment pop", "CRUNCH! it came out", "sensory-details"),
            ("Includes what people said", '{friend} said "put it in your pocket"', "use-dialogue"),
            (
                "Ends with a feeling the reader remembers",
                "I couldnt sleep becuase I kept checking if it was still there",
                "strong-ending",
            ),
        ),
        next_steps=("punctuate-dialogue", "edit-for-spelling", "show-dont-tell"),
    ),
    _Sample(
        title="All About Hamsters",
        piece="hamster piece",
        kind=WritingSample.Kind.ON_DEMAND,
        text=(
            "Hamsters are small but they need alot of care. First you need a big cage with a "
            "wheel becuase hamsters like to run at night. Second you have to give them fresh "
            "water every day. My hamster {pet} drinks from a bottle that hangs on the side of "
            "her cage. Hamsters eat seeds, carrots and sometimes a tiny peice of apple. Did you "
            "know hamsters can keep food in there cheeks? If you take good care of your "
            "hamster it will be happy and healthy."
        ),
        strengths=(
            (
                "Puts steps in order with transition words",
                "First you need a big cage with a wheel",
                "tell-it-in-order",
            ),
            (
                "Hooks the reader with a surprising fact",
                "Did you know hamsters can keep food in there cheeks?",
                "strong-lead",
            ),
            (
                "Gives an example from real life",
                "My hamster {pet} drinks from a bottle",
                "support-with-evidence",
            ),
        ),
        next_steps=("paragraphs-and-sections", "support-with-evidence", "sound-alike-words"),
    ),
    _Sample(
        title="The Big Game",
        piece="soccer story",
        kind=WritingSample.Kind.NOTEBOOK,
        text=(
            "It was the last minute of the game and the score was tied 2 to 2. My heart was "
            "pounding like a drum. {friend} passed me the ball and I ran as fast as I could. "
            "The goalie was huge. I kicked it as hard as I could and it flew past his hands "
            "and into the net!!! Everybody on my team screamed and jumped on me. We won. It "
            "was the best day of my hole life."
        ),
        strengths=(
            (
                "Uses a comparison to show a feeling",
                "My heart was pounding like a drum.",
                "show-dont-tell",
            ),
            (
                "Builds tension before the big moment",
                "It was the last minute of the game and the score was tied 2 to 2.",
                "problem-and-solution",
            ),
        ),
        next_steps=("zoom-in-on-one-part", "inner-thinking", "strong-ending", "precise-words"),
    ),
    _Sample(
        title="We Need a Longer Recess",
        piece="recess opinion piece",
        kind=WritingSample.Kind.ON_DEMAND,
        text=(
            "I think we should have a longer recess. One reason is kids need to move there "
            "bodies so they can focus in class. Another reason is recess is when we make "
            "freinds and solve problems like who gets the swings. Some people say we will lose "
            "learning time but I disagree because when I play outside I come back ready to "
            "learn. In conclusion recess should be 30 minutes not 15 minutes!"
        ),
        strengths=(
            (
                "States a clear opinion right away",
                "I think we should have a longer recess.",
                "clear-main-idea",
            ),
            (
                "Answers what the other side would say",
                "Some people say we will lose learning time but I disagree",
                "more-than-one-perspective",
            ),
            (
                "Gives more than one reason",
                "Another reason is recess is when we make freinds",
                "support-with-evidence",
            ),
        ),
        next_steps=("support-with-evidence", "use-commas", "strong-ending"),
    ),
    _Sample(
        title="The Night the Lights Went Out",
        piece="storm story",
        kind=WritingSample.Kind.NOTEBOOK,
        text=(
            "The thunder was so loud it shook the windows. Me and my cousin {cousin} hid under "
            "a blanket with a flashlight. The rain sounded like a million tiny feet running on "
            "the roof. Then the lights went out and everything was black. {cousin} started "
            "crying so I told a silly story about a dog who wanted to be a cat. We laughed so "
            "hard we didnt even notice when the lights came back on."
        ),
        strengths=(
            (
                "Uses sensory details",
                "The rain sounded like a million tiny feet running on the roof.",
                "sensory-details",
            ),
            (
                "Ends by showing how the problem got solved",
                "We laughed so hard we didnt even notice when the lights came back on.",
                "strong-ending",
            ),
        ),
        next_steps=("use-dialogue", "inner-thinking", "strong-lead"),
    ),
    _Sample(
        title="Cooking With My Grandma",
        piece="cooking piece",
        kind=WritingSample.Kind.PUBLISHED,
        text=(
            "Every sunday I go to my grandmas house and we make {food} together. She lets me "
            "stir and crack the eggs. Last time I dropped a shell in the bowl and we had to "
            "fish it out with a spoon, we were laughing so much. The whole kitchen smells warm "
            'and good. My grandma always says "a little more love" when she adds the salt. I '
            "love cooking with her because she tells me storys about when she was a girl."
        ),
        strengths=(
            (
                "Lets their voice come through",
                'My grandma always says "a little more love"',
                "writer-voice",
            ),
            (
                "Picks a small moment and tells it closely",
                "we had to fish it out with a spoon",
                "zoom-in-on-one-part",
            ),
        ),
        next_steps=("complete-sentences", "sensory-details", "zoom-in-on-one-part"),
    ),
    _Sample(
        title="Our Trip to the Aquarium",
        piece="field trip story",
        kind=WritingSample.Kind.NOTEBOOK,
        text=(
            "On friday our class went to the aquarium. The bus was so bumpy my juice spilled "
            "on my shoe. The first thing we saw was a tank with sharks. One shark swam right "
            "next to the glass and looked at me. I stepped back. {friend} said I looked like a "
            "ghost. My favorite part was the touch tank, the sea star felt rough like "
            "sandpaper. I want to go back someday and see the octopus because it was hiding."
        ),
        strengths=(
            (
                "Uses a comparison to help the reader feel it",
                "the sea star felt rough like sandpaper",
                "figurative-language",
            ),
            (
                "Shows a feeling through an action",
                "One shark swam right next to the glass and looked at me. I stepped back.",
                "show-dont-tell",
            ),
        ),
        next_steps=("zoom-in-on-one-part", "strong-lead", "use-commas", "show-dont-tell"),
    ),
)

PETS = ("Peanut", "Nugget", "Biscuit", "Mochi", "Pepper", "Cinnamon")
COUSINS = ("Ana", "Leo", "Rosa", "Kofi", "Lily", "Omar", "Ines", "Kai")
FOODS = ("dumplings", "pancakes", "banana bread", "empanadas", "noodle soup", "cookies")

# Teacher-note templates. {goal}, {goal_lc}, {strategy_q} (the strategy in quotes), {step},
# {piece}, {name}, {student_words}, {strength} and {evidence} are filled in per conference.
RESEARCH: dict[str, tuple[str, ...]] = {
    "": (
        '"I like my {piece} but I don\'t know what to do next."',
        'Read the goal card together: "{student_words}" Said "I think I can do that."',
        '"I want to make my {piece} longer."',
    ),
    Conference.TaskReview.DONE: (
        '"I did it two times! Can I show you?"',
        '"I tried it on my {piece} and it worked."',
        '"My partner said my {piece} is easier to picture now."',
        'Read the goal card: "{student_words}" Said "I\'m almost there."',
    ),
    Conference.TaskReview.PARTLY: (
        '"I tried it on my {piece} but only in one part."',
        '"It was hard at first. I did the first step."',
        '"I\'m not sure if I did it right."',
    ),
    Conference.TaskReview.NOT_YET: (
        '"I forgot, but I remember what it is."',
        '"I was working on a new piece instead."',
        '"I didn\'t know where to put it."',
    ),
}
REVIEW_NOTES: dict[str, tuple[str, ...]] = {
    Conference.TaskReview.DONE: ("Showed me two places.", "Did it without the card."),
    Conference.TaskReview.PARTLY: ("Did it once, on the last page.", "Was out one day."),
    Conference.TaskReview.NOT_YET: ("Started a new piece; we went back to the old one.",),
}
COMPLIMENT_WITH_STRENGTH = (
    'Pointed at "{evidence}": {strength_lc}. That works in any piece.',
    '{strength}: "{evidence}". Do it again in the next entry.',
)
COMPLIMENT = (
    "You reread your {piece} before we met. That's what writers do.",
    "You kept writing the whole time today, even when it got tricky.",
    "Your {piece} has a clear beginning, middle and end.",
    "You used your goal card while you wrote.",
)
DISCUSSED = (
    "Goal: {goal}. Taught {strategy_q}: {step}",
    "Found one spot in the {piece} that could be lifted ({goal_lc}). Modelled {strategy_q}, "
    "then {name} tried it.",
    "Reviewed the goal ({goal_lc}). Showed a mentor text page, practised {strategy_q} together.",
    "{strategy_q}: did the first step together on the {piece}; {name} did the next alone.",
)
TASK = (
    "Use {strategy_q} in two more places in the {piece}.",
    "Try it in tomorrow's notebook entry. {step}",
    "Mark one spot in the {piece} with a sticky note and try {strategy_q} there.",
    "Reread the {piece} with the goal card; fix one part before next time.",
    "Show a partner where you tried {strategy_q}.",
)


# The small-group conference: said to the whole group, then one member's own task.
# {goal_lc}, {strategy_q}, {step} (the strategy's first step), {student_words} and {name}
# (one member) are filled in; {piece} is the member's piece, in OWN_TASK only.
GROUP_RESEARCH = (
    'Went round the group: "Where in your piece could this go?" Most had a spot ready; '
    "{name} wasn't sure yet.",
    'Each writer read the goal card out loud: "{student_words}" Asked who had tried it '
    "already. {name} had, once.",
)
GROUP_COMPLIMENT = (
    "Everyone came with their notebook open to the page they are working on. "
    "Writers keep their place.",
    "I saw crossed-out words and arrows in every notebook: you all revise without being asked.",
    "Each of you could say what your piece is about in one sentence. That makes the next "
    "step easier.",
)
GROUP_DISCUSSED = (
    "Small group on the goal we share ({goal_lc}). Taught {strategy_q}: {step} Each writer "
    "tried it on their own piece while the others listened.",
    "Modelled {strategy_q} in my own notebook. Everyone tried the first step on their own "
    "piece and read it to the writer beside them.",
)
GROUP_TASK = (
    "Everyone: try {strategy_q} once in today's entry and mark the spot with a sticky note.",
    "Find one more place in your piece for {strategy_q}, then show someone from this group.",
)
OWN_TASK = (
    "Try {strategy_q} in the {piece} first, at the spot we found together.",
    "Finish the part of the {piece} we started today, then try {strategy_q} once more.",
)

# Self-assessment ratings, weighted by what is on record about the line's goal:
# (an active goal?, met or shown by a strength?) -> weights of not yet, starting to, yes.
RATINGS = (Rating.NOT_YET, Rating.STARTING, Rating.YES)
RATING_WEIGHTS: dict[tuple[bool, bool], tuple[int, int, int]] = {
    (True, False): (6, 3, 1),
    (True, True): (1, 4, 1),
    (False, True): (0, 1, 5),
    (False, False): (1, 3, 3),
}


def _quoted(name: str) -> str:
    """A strategy name in quotes, unless it already holds quotes of its own."""
    return name if any(q in name for q in '“”"') else f"“{name}”"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@dataclass
class _Plan:
    """What the builder decided for one student."""

    student: Student
    samples: list[tuple[WritingSample, _Sample]]
    strengths: list[Strength]
    goals: list[StudentGoal]  # every goal set, in the order set
    days: list[date]  # held conference days
    booked: bool = True
    overdue: bool = False


class _Builder:
    def __init__(
        self,
        *,
        rng: random.Random,
        teacher: User,
        co_teacher: User,
        classroom: Classroom,
        goals: dict[str, Goal],
        shown_goals: dict[str, Goal],
        today: date,
    ) -> None:
        self.rng = rng
        self.teacher = teacher
        self.co_teacher = co_teacher
        self.classroom = classroom
        self.goals = goals
        self.shown_goals = shown_goals
        self.today = today
        self.slots = classroom.slot_times()
        self.group_slots = classroom.block.group_starts()
        # The school days of the history, as the class calendar counts them (set in build).
        self.school_days: list[date] = []
        self.students: list[Student] = []
        self.plans: list[_Plan] = []

    def build(self) -> tuple[int, int]:
        """Add the students and their records; returns the number of held one-on-one and
        small-group conferences."""
        self.students = [
            add_student(
                classroom=self.classroom,
                first_name=name.first,
                last_name=name.last,
                preferred_name=name.preferred,
                grade=str(GRADE),
                school_id=name.school_id,
            )
            for name in STUDENTS
        ]
        # The class calendar, now that it has its students: every date below follows it.
        self.calendar = calendar_for(classroom=self.classroom)
        start = self.today - timedelta(days=HISTORY_DAYS)
        self.school_days = sorted(
            day
            for day in self.calendar.school_days_back(self.today - timedelta(days=1), HISTORY_DAYS)
            if day >= start
        )
        order = list(range(len(self.students)))
        self.rng.shuffle(order)
        overdue = set(order[:2])
        not_booked = set(order[2:4])
        met = set(order[4:9])
        for position, index in enumerate(order):
            plan = self._plan_student(self.students[index], position, has_met_goal=index in met)
            plan.overdue = index in overdue
            plan.booked = index not in overdue | not_booked
            self.plans.append(plan)
        self._fit_days_into_slots()
        for plan in self.plans:
            if plan.overdue:
                # Last seen so long ago that their due day passed OVERDUE_BY school days ago.
                gap = self.calendar.gap_for(plan.student.pk)
                cutoff = self.school_days[-(gap + OVERDUE_BY)]
                plan.days = [day for day in plan.days if day <= cutoff]
        held = self._write_conferences()
        group_held = self._small_group()
        self._self_assessments()
        return held, group_held

    # -- one student's record --

    def _mark_a_place_to_lift(
        self, sample: WritingSample, template: _Sample, page: NotebookPage
    ) -> None:
        """The last line of a photographed page marked as a place to lift the level, toward
        the piece's first next step."""
        goal = next((self.goals[k] for k in template.next_steps if k in self.goals), None)
        mark_spot(
            teacher=self.teacher,
            photo=sample.photos.get(),
            box=page.last_line,
            kind=PageSpot.Kind.LIFT,
            note="A good place to try it next.",
            goal=goal,
            on=sample.written_on,
        )

    def _plan_student(self, student: Student, position: int, *, has_met_goal: bool) -> _Plan:
        rng = self.rng
        first_day = self.school_days[0]
        middle_day = self.school_days[len(self.school_days) // 2]
        params = {
            "friend": rng.choice([s.shown_name for s in self.students if s != student]),
            "pet": rng.choice(PETS),
            "cousin": rng.choice(COUSINS),
            "food": rng.choice(FOODS),
        }
        templates = rng.sample(SAMPLES, 2 if rng.random() < 0.4 else 1)
        written = [first_day - timedelta(days=rng.randint(4, 9)), middle_day]
        samples: list[tuple[WritingSample, _Sample]] = []
        strengths: list[Strength] = []
        photographed = position < PHOTOGRAPHED_STUDENTS
        pages: list[NotebookPage] = []
        for template, written_on in zip(templates, written, strict=False):
            text = template.text.format(**params)
            page = notebook_page(text) if photographed and not pages else None
            sample = add_writing_sample(
                teacher=self.teacher,
                student=student,
                title=template.title,
                kind=template.kind,
                written_on=written_on,
                text=text,
                photos=[keep_photo(page.jpeg, name="IMG_0001.jpg")] if page else (),
            )
            if page:
                pages.append(page)
                self._mark_a_place_to_lift(sample, template, page)
            samples.append((sample, template))
        for n in range(rng.choice((1, 2))):
            sample, template = samples[n % len(samples)]
            description, evidence, shows = rng.choice(template.strengths)
            if any(s.description == description for s in strengths):
                continue
            evidence = evidence.format(**params)
            on_page = pages[0].box_of(evidence) if pages and n == 0 else None
            if on_page is not None:
                # Evidence the teacher drew around on the photographed page.
                spot = mark_spot(
                    teacher=self.teacher,
                    photo=sample.photos.get(),
                    box=on_page,
                    kind=PageSpot.Kind.STRENGTH,
                    description=description,
                    note=evidence,
                    goal=self.shown_goals.get(shows),
                    on=sample.written_on,
                )
                assert spot.strength is not None
                strengths.append(spot.strength)
                continue
            strengths.append(
                record_strength(
                    teacher=self.teacher,
                    student=student,
                    description=description,
                    evidence=evidence,
                    sample=sample,
                    goal=self.shown_goals.get(shows),
                    on=sample.written_on,
                )
            )

        suggested = [k for t in templates for k in t.next_steps if k in self.goals]
        wanted = 2 if rng.random() < 0.45 else 1
        keys = self._pick_goal_keys(suggested, wanted + (1 if has_met_goal else 0))
        goal_set_on = first_day - timedelta(days=rng.randint(1, 3))
        student_goals: list[StudentGoal] = []
        for key in keys[:wanted]:
            student_goals.append(self._set_goal(student, key, goal_set_on))
        if has_met_goal:
            # The first goal was met half-way; a new one took its place.
            met_on = middle_day - timedelta(days=rng.randint(0, 3))
            close_goal(student_goal=student_goals[0], status=StudentGoal.Status.MET, on=met_on)
            student_goals.append(self._set_goal(student, keys[-1], met_on))

        # The rotation the class calendar asks for: every `gap` school days, each student
        # starting at their turn, so each day holds about as many as its slots.
        gap = self.calendar.gap_for(student.pk)
        days: list[date] = []
        index = position * gap // len(STUDENTS)
        while index < len(self.school_days):
            days.append(self.school_days[index])
            index += gap
        return _Plan(
            student=student, samples=samples, strengths=strengths, goals=student_goals, days=days
        )

    def _pick_goal_keys(self, suggested: list[str], count: int) -> list[str]:
        keys: list[str] = []
        others = list(self.goals)
        while len(keys) < count:
            source = [k for k in suggested if k not in keys] or [k for k in others if k not in keys]
            keys.append(self.rng.choice(source))
        return keys

    def _set_goal(self, student: Student, key: str, on: date) -> StudentGoal:
        return set_goal(teacher=self.teacher, student=student, goal=self.goals[key], on=on)

    # -- the calendar --

    def _fit_days_into_slots(self) -> None:
        """Move conferences to the next school day when a day's slots are all taken."""
        capacity = len(self.slots)
        used: dict[date, int] = defaultdict(int)
        for plan in self.plans:
            fitted: list[date] = []
            for day in plan.days:
                index = self.school_days.index(day)
                while index < len(self.school_days) and used[self.school_days[index]] >= capacity:
                    index += 1
                if index < len(self.school_days) and (
                    not fitted or fitted[-1] < self.school_days[index]
                ):
                    fitted.append(self.school_days[index])
                    used[self.school_days[index]] += 1
            plan.days = fitted

    def _slot_times_by_day(
        self, plans_by_day: dict[date, list[_Plan]]
    ) -> dict[tuple[date, int], time]:
        times: dict[tuple[date, int], time] = {}
        for day, plans in plans_by_day.items():
            chosen = sorted(self.rng.sample(range(len(self.slots)), len(plans)))
            for plan, slot in zip(plans, chosen, strict=True):
                times[(day, plan.student.pk)] = self.slots[slot]
        return times

    def _write_conferences(self) -> int:
        plans_by_day: dict[date, list[_Plan]] = defaultdict(list)
        for plan in self.plans:
            for day in plan.days:
                plans_by_day[day].append(plan)
        times = self._slot_times_by_day(dict(sorted(plans_by_day.items())))
        rows: list[Conference] = []
        for plan in self.plans:
            for number, day in enumerate(plan.days):
                slot = timezone.make_aware(datetime.combine(day, times[(day, plan.student.pk)]))
                rows.append(self._held(plan, day, slot, first=number == 0))
            if plan.days and not plan.booked:
                rows[-1].next_not_booked = True
        held = len(rows)
        rows.extend(self._bookings())
        stickers = self._stickers(rows[:held])
        Conference.objects.bulk_create(rows)
        EarnedSticker.objects.bulk_create(stickers)
        return held

    def _stickers(self, held: list[Conference]) -> list[EarnedSticker]:
        """Some students showed they did last time's task: a sticker for the goal."""
        return [
            EarnedSticker(
                student=conference.student,
                goal=conference.student_goal.goal,
                conference=conference,
                earned_on=timezone.localtime(conference.started_at).date(),
                awarded_by=self.teacher,
            )
            for conference in held
            if conference.task_review == Conference.TaskReview.DONE
            and conference.student_goal is not None
            and conference.started_at is not None
            and self.rng.random() < 0.5
        ]

    def _held(self, plan: _Plan, day: date, slot: datetime, *, first: bool) -> Conference:
        rng = self.rng
        goals = [
            g for g in plan.goals if g.set_on <= day and (g.closed_on is None or g.closed_on > day)
        ] or plan.goals[:1]
        student_goal = rng.choice(goals)
        strategies = [s for s in student_goal.goal.strategies.all() if s.owner_id is None]
        strategy = rng.choice(strategies) if strategies else None
        noted = [s for s in plan.strengths if s.noted_on <= day]
        strength = rng.choice(noted) if noted and rng.random() < 0.45 else None
        pieces = [t for sample, t in plan.samples if sample.written_on <= day] or [
            plan.samples[0][1]
        ]
        review = "" if first else self._review()
        steps = strategy.step_list if strategy else []
        words = {
            "goal": student_goal.goal.name,
            "goal_lc": _lower_first(student_goal.goal.name),
            "strategy_q": _quoted(strategy.name) if strategy else "the steps on the goal card",
            "step": rng.choice(steps) if steps else "Reread it with the goal card.",
            "piece": pieces[-1].piece,
            "name": plan.student.shown_name,
            "student_words": student_goal.goal.student_words,
            "strength": strength.description if strength else "",
            "strength_lc": _lower_first(strength.description) if strength else "",
            "evidence": strength.evidence if strength else "",
        }
        started = slot + timedelta(seconds=rng.randint(0, 50))
        duration = rng.randint(180, 360)
        compliments = COMPLIMENT_WITH_STRENGTH if strength else COMPLIMENT
        note = ""
        if review and rng.random() < 0.3:
            note = rng.choice(REVIEW_NOTES[review])
        return Conference(
            classroom=self.classroom,
            student=plan.student,
            teacher=self.co_teacher if day.weekday() in CO_TEACHER_WEEKDAYS else self.teacher,
            kind=Conference.Kind.WRITING,
            status=Conference.Status.HELD,
            scheduled_for=slot,
            started_at=started,
            ended_at=started + timedelta(seconds=duration),
            duration_seconds=duration,
            task_review=review,
            task_review_note=note,
            research=rng.choice(RESEARCH[review]).format(**words),
            strength=strength,
            compliment=rng.choice(compliments).format(**words),
            student_goal=student_goal,
            strategy=strategy,
            discussed=rng.choice(DISCUSSED).format(**words),
            task=rng.choice(TASK).format(**words),
        )

    def _review(self) -> str:
        """How last time's task went: mostly done."""
        return self.rng.choices(
            [
                Conference.TaskReview.DONE,
                Conference.TaskReview.PARTLY,
                Conference.TaskReview.NOT_YET,
            ],
            weights=[5, 3, 2],
        )[0]

    def _bookings(self) -> list[Conference]:
        """One appointment per booked student where the class calendar suggests it: the
        first free slot on the day they fall due (one per slot)."""
        busy: list[Busy] = []
        rows: list[Conference] = []
        # From today's first slot on: the students due today are on today's list.
        now = datetime.combine(self.today, time.min)
        for plan in sorted(self.plans, key=lambda p: p.days[-1] if p.days else self.today):
            if not plan.booked:
                continue
            student_id = plan.student.pk
            last = plan.days[-1] if plan.days else self.today
            due = self.calendar.due_date(student_id, last)
            at = self.calendar.suggest(
                student_id=student_id, due=due, busy=busy, now=now, earliest=self.today
            )
            if at is None:
                continue
            busy.append(Busy(at, at + self.calendar.length, plan.student.shown_name, student_id))
            rows.append(
                Conference(
                    classroom=self.classroom,
                    student=plan.student,
                    teacher=self.teacher,
                    kind=Conference.Kind.WRITING,
                    status=Conference.Status.SCHEDULED,
                    scheduled_for=timezone.make_aware(at),
                )
            )
        return rows

    # -- the small group --

    def _small_group(self) -> int:
        """Save one small group and hold its conference in the group slot a few school days
        ago; returns the number of group conferences held (0 without a group slot or a goal
        shared by two students who are not overdue)."""
        chosen = self._group_to_save()
        if chosen is None or not self.group_slots:
            return 0
        rng = self.rng
        goal, name, members = chosen
        strategy = first_strategies(teacher=self.teacher, goal_ids=[goal.pk]).get(goal.pk)
        group = save_small_group(
            classroom=self.classroom,
            name=name,
            goal=goal,
            strategy=strategy,
            members=[plan.student for plan in members],
        )
        day = self._group_day(members)
        at = timezone.make_aware(datetime.combine(day, self.group_slots[0]))
        GroupAppointment.objects.create(group=group, scheduled_for=at)
        steps = strategy.step_list if strategy else []
        words = {
            "goal_lc": _lower_first(goal.name),
            "strategy_q": _quoted(strategy.name) if strategy else "the steps on the goal card",
            "step": steps[0] if steps else "Reread it with the goal card.",
            "student_words": goal.student_words,
            "name": rng.choice(members).student.shown_name,
        }
        # Within the group slot, so it ends before the first one-on-one conference starts.
        started = at + timedelta(seconds=rng.randint(0, 60))
        longest = self.classroom.group_minutes * 60 - 90
        duration = rng.randint(longest - 120, longest)
        ended = started + timedelta(seconds=duration)
        meeting = GroupConference.objects.create(
            classroom=self.classroom,
            group=group,
            name=group.name,
            teacher=self.teacher,
            status=GroupConference.Status.HELD,
            started_at=started,
            ended_at=ended,
            duration_seconds=duration,
            research=rng.choice(GROUP_RESEARCH).format(**words),
            compliment=rng.choice(GROUP_COMPLIMENT).format(**words),
            goal=goal,
            strategy=strategy,
            discussed=rng.choice(GROUP_DISCUSSED).format(**words),
            task=rng.choice(GROUP_TASK).format(**words),
        )
        own_task = rng.choice(members)
        rows: list[Conference] = []
        for plan in members:
            # Each member's row reviews the task of their last conference alone.
            review = self._review() if any(seen < day for seen in plan.days) else ""
            note = rng.choice(REVIEW_NOTES[review]) if review and rng.random() < 0.3 else ""
            task = ""
            if plan is own_task:
                piece = self._piece_on(plan, day)
                task = rng.choice(OWN_TASK).format(**words, piece=piece)
            rows.append(
                Conference(
                    classroom=self.classroom,
                    student=plan.student,
                    teacher=self.teacher,
                    kind=Conference.Kind.WRITING,
                    status=Conference.Status.HELD,
                    started_at=started,
                    ended_at=ended,
                    duration_seconds=duration,
                    task_review=review,
                    task_review_note=note,
                    student_goal=self._goal_on(plan, goal, day),
                    task=task,
                    group_conference=meeting,
                )
            )
        Conference.objects.bulk_create(rows)
        return 1

    def _group_to_save(self) -> tuple[Goal, str, list[_Plan]] | None:
        """The group as the groups page suggests it (sizes 2-5): of 3-4 students, none
        overdue, for the goal most students share; named as the page names it."""
        data = class_goals(classroom=self.classroom)
        by_student = data.goals_by_student()
        plans = {plan.student.pk: plan for plan in self.plans}
        holders = Counter(goal_id for goal_ids in by_student.values() for goal_id in goal_ids)
        order = library_order(data.goals)
        found = suggest_groups(by_student, goal_order=order)
        # An overdue student has not been seen for two weeks, not even in a group.
        fitting = [
            group
            for group in found.groups
            if GROUP_SIZES[0] <= len(group.student_ids) <= GROUP_SIZES[-1]
            and not any(plans[i].overdue for i in group.student_ids)
        ]
        if fitting:
            best = max(fitting, key=lambda group: holders[group.goal_id])  # first on a tie
            goal = data.goals[best.goal_id]
            split = [group for group in found.groups if group.goal_id == best.goal_id]
            name = f"{goal.name}, group {split.index(best) + 1}" if len(split) > 1 else goal.name
            return goal, name, [plans[i] for i in best.student_ids]
        # No suggestion fits: the students of the most shared goal, as many as fit.
        goal_id = max(order, key=lambda g: holders[g])
        members = [plans[i] for i, goal_ids in by_student.items() if goal_id in goal_ids]
        members = [plan for plan in members if not plan.overdue][: GROUP_SIZES[-1]]
        if len(members) < 2:
            return None
        return data.goals[goal_id], data.goals[goal_id].name, members

    def _group_day(self, members: list[_Plan]) -> date:
        """A school day 3-6 school days ago, one when no member was seen alone if there is
        one (the group slot comes before the conference slots, so the times never clash)."""
        low, high = GROUP_DAYS_AGO
        days = self.school_days[-high : len(self.school_days) - low + 1]
        free = [day for day in days if not any(day in plan.days for plan in members)]
        return self.rng.choice(free or days)

    @staticmethod
    def _goal_on(plan: _Plan, goal: Goal, day: date) -> StudentGoal | None:
        """The student's goal `goal` if it was active on `day`."""
        return next(
            (
                sg
                for sg in plan.goals
                if sg.goal_id == goal.pk
                and sg.set_on <= day
                and (sg.closed_on is None or sg.closed_on > day)
            ),
            None,
        )

    @staticmethod
    def _piece_on(plan: _Plan, day: date) -> str:
        pieces = [t for sample, t in plan.samples if sample.written_on <= day]
        return (pieces or [plan.samples[0][1]])[-1].piece

    # -- self-assessments --

    def _self_assessments(self) -> int:
        """About a third of the class rated the grade-band narrative checklist in the last
        two weeks, some on the kiosk; returns how many (0 when the checklist is missing)."""
        checklist = Checklist.objects.filter(key=CHECKLIST_KEY).first()
        if checklist is None:
            return 0
        items = list(checklist.items.all())
        recent = self.school_days[-ASSESSMENT_SCHOOL_DAYS:]
        chosen = self.rng.sample(self.plans, round(len(self.plans) / 3))
        for number, plan in enumerate(chosen):
            record_self_assessment(
                teacher=self.teacher,
                student=plan.student,
                checklist=checklist,
                # The first two give the conference screen a goal to propose.
                ratings=self._ratings(plan, items, propose=number < 2),
                by_student=number % 3 == 1,
                on=self.rng.choice(recent),
            )
        return len(chosen)

    def _ratings(self, plan: _Plan, items: list[ChecklistItem], *, propose: bool) -> dict[int, str]:
        """Ratings that fit the record; with `propose`, at least one "not yet" on a line
        whose goal the student is not working on (nor strong at)."""
        active = {sg.goal_id for sg in plan.goals if sg.is_active}
        strong = {sg.goal_id for sg in plan.goals if sg.status == StudentGoal.Status.MET} | {
            s.goal_id for s in plan.strengths if s.goal_id is not None
        }
        ratings: dict[int, str] = {
            item.pk: self.rng.choices(
                RATINGS, weights=RATING_WEIGHTS[(item.goal_id in active, item.goal_id in strong)]
            )[0]
            for item in items
        }
        others = [item for item in items if item.goal_id not in active | strong]
        if propose and others and all(ratings[item.pk] != Rating.NOT_YET for item in others):
            ratings[self.rng.choice(others).pk] = Rating.NOT_YET
        return ratings

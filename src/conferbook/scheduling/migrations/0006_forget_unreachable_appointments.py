"""Appointments booked for a year no school calendar reaches are removed.

Before bookings were checked against the class calendar, a time typed as 31 Dec 9999 was
stored as it came. Such a row is no note, only an appointment no one can keep; and on
PostgreSQL a time past the year 9999 in UTC cannot even be read back, so it broke every
page that listed the student and could not be repaired from the app. Held, missed and
under-way conferences are the record and are never touched.
"""

from django.db import migrations

# Beyond anything the app lets anyone book now (a year ahead), far beyond any school year.
LIMIT = "2101-01-01 00:00:00"


def forget_unreachable_appointments(apps, schema_editor):  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM conferences_conference WHERE status = %s AND scheduled_for >= %s",
            ["scheduled", LIMIT],
        )
        cursor.execute(
            "DELETE FROM scheduling_groupappointment WHERE scheduled_for >= %s", [LIMIT]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0005_group_conferences"),
        ("scheduling", "0005_absences"),
    ]

    operations = [
        migrations.RunPython(forget_unreachable_appointments, migrations.RunPython.noop),
    ]

from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "conferbook.calendar"
    label = "calendar"
    verbose_name = "class calendar"

from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "conferbook.conferences"
    label = "conferences"

    def ready(self) -> None:
        from django.db.models import Q

        from conferbook.accounts import appointments
        from conferbook.conferences.models import Conference

        # A booked conference is an appointment; a held one is a moment in the past.
        appointments.register(Conference, only=Q(status=Conference.Status.SCHEDULED))

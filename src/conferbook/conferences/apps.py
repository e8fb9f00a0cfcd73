from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate


class ConferencesConfig(AppConfig):
    name = "conferbook.conferences"
    label = "conferences"

    def ready(self) -> None:
        from django.db.models import Q

        from conferbook.accounts import appointments
        from conferbook.conferences.models import Conference

        # A booked conference is an appointment; a held one is a moment in the past.
        appointments.register(Conference, only=Q(status=Conference.Status.SCHEDULED))
        pre_migrate.connect(_remove_class_list_triggers, sender=self)
        post_migrate.connect(_install_class_list_triggers, sender=self)


def _remove_class_list_triggers(using: str, plan: object = None, **kwargs: object) -> None:
    """No class list triggers while migrations run (see class_stamps)."""
    from conferbook.conferences.class_stamps import remove_triggers

    if plan:
        remove_triggers(connections[using])


def _install_class_list_triggers(using: str, **kwargs: object) -> None:
    """The class lists' triggers, made again after every migrate (see class_stamps)."""
    from conferbook.conferences.class_stamps import install_triggers

    install_triggers(connections[using])

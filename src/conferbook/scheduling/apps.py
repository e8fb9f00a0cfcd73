from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "conferbook.scheduling"
    label = "scheduling"

    def ready(self) -> None:
        from conferbook.accounts import appointments
        from conferbook.scheduling.models import GroupAppointment

        appointments.register(GroupAppointment)

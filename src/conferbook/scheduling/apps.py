from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "conferbook.scheduling"
    label = "scheduling"

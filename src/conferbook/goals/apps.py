from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "conferbook.goals"
    label = "goals"

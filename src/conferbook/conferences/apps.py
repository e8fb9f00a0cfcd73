from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "conferbook.conferences"
    label = "conferences"

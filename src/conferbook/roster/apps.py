from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "conferbook.roster"
    label = "roster"

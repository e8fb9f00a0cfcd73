from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "conferbook.groups"
    label = "groups"

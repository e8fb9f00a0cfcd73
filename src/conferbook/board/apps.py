from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "conferbook.board"
    label = "board"

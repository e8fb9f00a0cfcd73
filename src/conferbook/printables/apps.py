from django.apps import AppConfig


class PrintablesConfig(AppConfig):
    name = "conferbook.printables"
    verbose_name = "Printables"

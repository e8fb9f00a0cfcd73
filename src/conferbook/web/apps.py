from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "conferbook.web"
    label = "web"

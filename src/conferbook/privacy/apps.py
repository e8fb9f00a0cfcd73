from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "conferbook.privacy"
    label = "privacy"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "conferbook.accounts"
    label = "accounts"

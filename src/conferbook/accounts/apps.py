from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "conferbook.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from conferbook.accounts.middleware import start_session_clock

        # However a person signs in (password, link, first run), the session's clocks start
        # in the save that signing in makes, so the first page after it writes nothing.
        user_logged_in.connect(start_session_clock, dispatch_uid="start_session_clock")

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "conferbook.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from conferbook.accounts.middleware import start_session_clock
        from conferbook.accounts.models import School
        from conferbook.accounts.selectors import school_saved

        # However a person signs in (password, link, first run), the session's clocks start
        # in the save that signing in makes, so the first page after it writes nothing.
        user_logged_in.connect(start_session_clock, dispatch_uid="start_session_clock")
        # A school's new time zone or clock shows on the next page this process serves.
        post_save.connect(school_saved, sender=School, dispatch_uid="school_saved")
        post_delete.connect(school_saved, sender=School, dispatch_uid="school_saved")

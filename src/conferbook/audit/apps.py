from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "conferbook.audit"
    label = "audit"
    verbose_name = "audit log"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from conferbook.audit import signals

        user_logged_in.connect(signals.signed_in, dispatch_uid="audit_signed_in")
        user_login_failed.connect(signals.sign_in_failed, dispatch_uid="audit_sign_in_failed")

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "conferbook.audit"
    label = "audit"
    verbose_name = "audit log"

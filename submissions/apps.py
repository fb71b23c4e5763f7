from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "submissions"
    verbose_name = "Trial disclosure"

    def ready(self) -> None:
        from django.conf import settings

        from registries import specs

        # registries/ is pure Python: it learns where the official schemas live from us, once.
        specs.configure(settings.REGISTRY_SCHEMA_DIR)

        from submissions.domain.webhooks import connect_signals

        connect_signals()

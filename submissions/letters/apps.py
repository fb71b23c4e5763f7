from django.apps import AppConfig


class LettersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "submissions.letters"
    label = "letters"
    verbose_name = "Lay summaries and participant letters"

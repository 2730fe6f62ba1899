from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Google sign-in on top of SimpleJWT."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

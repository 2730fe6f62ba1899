from django.apps import AppConfig
from django.db.backends.signals import connection_created


def use_wal(sender, connection, **kwargs):
    """Puts SQLite in WAL mode, so readers (the blacklist check) do not wait for a writer."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")


class AccountsConfig(AppConfig):
    """Google sign-in on top of SimpleJWT."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        connection_created.connect(use_wal)

"""Links a Django user to the Google account that signs in as it."""
from django.conf import settings
from django.db import models


class GoogleAccount(models.Model):
    """A Google account, keyed by its stable `sub` (never by email, which can change)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="google_account"
    )
    sub = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"google:{self.sub}"

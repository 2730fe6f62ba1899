"""Creates or fetches the Django user behind a Google profile."""
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from .models import GoogleAccount


def user_for_google_profile(profile):
    """Returns the user signed in by this Google profile, creating it on first sign-in.

    The profile's names and email are copied on every sign-in, so the user endpoint shows
    what Google shows now.
    """
    sub = profile["sub"]
    fields = {
        "email": _text(profile, "email", 254),
        "first_name": _text(profile, "given_name", 150),
        "last_name": _text(profile, "family_name", 150),
    }
    try:
        account = GoogleAccount.objects.select_related("user").get(sub=sub)
    except GoogleAccount.DoesNotExist:
        try:
            with transaction.atomic():
                user = get_user_model().objects.create_user(username=f"google-{sub}", **fields)
                return GoogleAccount.objects.create(user=user, sub=sub).user
        except IntegrityError:
            # Two first sign-ins of one Google account at once: the other one created it.
            account = GoogleAccount.objects.select_related("user").get(sub=sub)

    user = account.user
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    if changed:
        for name in changed:
            setattr(user, name, fields[name])
        user.save(update_fields=changed)
    return user


def _text(profile, key, limit):
    value = profile.get(key)
    return value[:limit] if isinstance(value, str) else ""

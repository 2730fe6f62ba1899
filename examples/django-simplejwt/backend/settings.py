"""Settings for the example backend, read from environment variables.

Everything a deployment changes comes from the environment, so that run.sh (and CI) can
point the backend at mockgoogle and give it short token lifetimes:

    DJANGO_SECRET_KEY     signing key for Django and SimpleJWT (required)
    DJANGO_DB_PATH        SQLite file (default: authprobe-django.sqlite3 in the temp dir)
    DJANGO_DEBUG          "1" turns debug pages on; off by default, and off in CI
    ACCESS_TTL            access token lifetime in seconds (default 300, SimpleJWT's default)
    REFRESH_TTL           refresh token lifetime in seconds (default 86400)
    GOOGLE_TOKEN_URL      Google's token endpoint (default: mockgoogle on 127.0.0.1:9090)
    GOOGLE_USERINFO_URL   Google's userinfo endpoint (same default)
    GOOGLE_CLIENT_ID      OAuth client id (default authprobe-client)
    GOOGLE_CLIENT_SECRET  OAuth client secret (default authprobe-secret)
    GOOGLE_REDIRECT_URI   used when the client sends none (default http://localhost:3000/login)
"""
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_seconds(name, default):
    """Reads a positive whole number of seconds from the environment."""
    raw = os.environ.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, got {raw!r}")
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be positive, got {value}")
    return value


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is not set (run.sh generates one)")

DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get(
            "DJANGO_DB_PATH", os.path.join(tempfile.gettempdir(), "authprobe-django.sqlite3")
        ),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
    ],
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=env_seconds("ACCESS_TTL", 300)),
    "REFRESH_TOKEN_LIFETIME": timedelta(seconds=env_seconds("REFRESH_TTL", 86400)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

GOOGLE_TOKEN_URL = os.environ.get("GOOGLE_TOKEN_URL", "http://127.0.0.1:9090/token")
GOOGLE_USERINFO_URL = os.environ.get(
    "GOOGLE_USERINFO_URL", "http://127.0.0.1:9090/v1/userinfo"
)
GOOGLE_CLIENT_ID = os.environ.get("GOOGLE_CLIENT_ID", "authprobe-client")
GOOGLE_CLIENT_SECRET = os.environ.get("GOOGLE_CLIENT_SECRET", "authprobe-secret")
GOOGLE_REDIRECT_URI = os.environ.get("GOOGLE_REDIRECT_URI", "http://localhost:3000/login")
GOOGLE_TIMEOUT = (3, 10)  # connect, read: seconds

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "accounts": {"handlers": ["console"], "level": "INFO"},
    },
}

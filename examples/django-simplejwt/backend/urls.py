"""The endpoints of the Nuxt Auth + DRF social-login pattern.

Sign-in and refresh share /social-login/google/, as Nuxt Auth's oauth2 scheme posts both to
its one token endpoint. Logout is SimpleJWT's own blacklist view: POST {"refresh": ...}.
"""
from django.urls import path
from rest_framework_simplejwt.views import TokenBlacklistView

from accounts.views import GoogleLoginView, UserDetailsView

urlpatterns = [
    path("social-login/google/", GoogleLoginView.as_view(), name="google-login"),
    path("auth/user/", UserDetailsView.as_view(), name="user-details"),
    path("auth/logout/", TokenBlacklistView.as_view(), name="logout"),
]

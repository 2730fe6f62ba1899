"""The two endpoints of the Nuxt Auth + DRF social-login pattern."""
from django.urls import path

from accounts.views import GoogleLoginView, UserDetailsView

urlpatterns = [
    path("social-login/google/", GoogleLoginView.as_view(), name="google-login"),
    path("auth/user/", UserDetailsView.as_view(), name="user-details"),
]

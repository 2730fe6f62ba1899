"""The social-login endpoint (sign in and refresh) and the user endpoint."""
from django.conf import settings
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken

from . import google
from .serializers import GoogleLoginSerializer, UserDetailsSerializer
from .users import user_for_google_profile


class GoogleLoginView(APIView):
    """POST /social-login/google/ with a Google `code` signs in; with a `refresh_token`
    it rotates the pair. Both answer {"access_token", "refresh_token"}.

    Nuxt Auth's oauth2 scheme posts both to this one endpoint, as a form.
    """

    # No authentication here: an expired access token left in the Authorization header
    # must not block the refresh that replaces it.
    authentication_classes = ()
    permission_classes = ()

    def get_authenticate_header(self, request):
        # Without an authenticator DRF would turn a 401 into a 403; SimpleJWT's own
        # TokenViewBase answers this header the same way.
        return 'Bearer realm="api"'

    def post(self, request):
        form = GoogleLoginSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if data.get("refresh_token"):
            return self.refresh(data["refresh_token"])
        return self.sign_in(data)

    def sign_in(self, data):
        redirect_uri = data.get("redirect_uri") or settings.GOOGLE_REDIRECT_URI
        tokens = google.exchange_code(data["code"], redirect_uri, data.get("code_verifier"))
        profile = google.fetch_userinfo(tokens["access_token"])
        user = user_for_google_profile(profile)
        if not user.is_active:
            raise PermissionDenied("This account is disabled.")
        refresh = RefreshToken.for_user(user)
        return Response(
            {"access_token": str(refresh.access_token), "refresh_token": str(refresh)}
        )

    def refresh(self, raw):
        # SimpleJWT's own refresh: rotation and blacklisting as configured in SIMPLE_JWT.
        serializer = TokenRefreshSerializer(data={"refresh": raw})
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as exc:
            raise InvalidToken(exc.args[0])
        tokens = serializer.validated_data
        return Response({"access_token": tokens["access"], "refresh_token": tokens["refresh"]})


class UserDetailsView(APIView):
    """GET /auth/user/: the signed-in user, authenticated by a SimpleJWT access token."""

    def get(self, request):
        return Response(UserDetailsSerializer(request.user).data)

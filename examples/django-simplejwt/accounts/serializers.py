"""Request and answer shapes of the two endpoints."""
from django.contrib.auth import get_user_model
from rest_framework import serializers


class GoogleLoginSerializer(serializers.Serializer):
    """What Nuxt Auth's oauth2 scheme posts: a code to sign in, or a refresh_token.

    Other keys it sends (client_id, response_type, audience, grant_type, scopes) are
    ignored; bare keys such as `audience` with no `=` arrive as empty strings. What goes on
    to Google is bounded, so that an absurd value is refused here rather than by Google.
    """

    code = serializers.CharField(required=False, allow_blank=True, max_length=2048)
    refresh_token = serializers.CharField(required=False, allow_blank=True)
    redirect_uri = serializers.CharField(required=False, allow_blank=True, max_length=2048)
    # RFC 7636: a code_verifier has 43 to 128 characters.
    code_verifier = serializers.CharField(required=False, allow_blank=True, max_length=128)

    def validate(self, attrs):
        if not attrs.get("code") and not attrs.get("refresh_token"):
            raise serializers.ValidationError("Send either a code or a refresh_token.")
        return attrs


class UserDetailsSerializer(serializers.ModelSerializer):
    """The signed-in user, as dj-rest-auth's user endpoint shows it."""

    class Meta:
        model = get_user_model()
        fields = ("pk", "email", "first_name", "last_name")
        read_only_fields = fields

"""Request and answer shapes of the two endpoints."""
from django.contrib.auth import get_user_model
from rest_framework import serializers


class GoogleLoginSerializer(serializers.Serializer):
    """What Nuxt Auth's oauth2 scheme posts: a code to sign in, or a refresh_token.

    Other keys it sends (client_id, response_type, audience, grant_type, scopes) are
    ignored; bare keys such as `audience` with no `=` arrive as empty strings.
    """

    code = serializers.CharField(required=False, allow_blank=True)
    refresh_token = serializers.CharField(required=False, allow_blank=True)
    redirect_uri = serializers.CharField(required=False, allow_blank=True)
    code_verifier = serializers.CharField(required=False, allow_blank=True)

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

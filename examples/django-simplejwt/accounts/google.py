"""The two calls to Google: exchange an authorization code, then read the user's profile.

Google's answers are never trusted to be well formed. A code Google refuses (a 400:
invalid_grant, redirect_uri_mismatch, ...) is the client's problem and answers 400; anything
else that goes wrong on Google's side (unreachable, 5xx, our client refused, a body that is
not what Google documents) answers 502. Neither becomes a 500.
"""
import logging

import requests
from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException

log = logging.getLogger(__name__)


class GoogleRejected(APIException):
    """Google refused the authorization code the client sent."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Google refused the authorization code."
    default_code = "google_rejected"


class GoogleUnavailable(APIException):
    """Google could not be reached or answered something unusable."""

    status_code = status.HTTP_502_BAD_GATEWAY
    default_detail = "Google sign-in is unavailable, try again later."
    default_code = "google_unavailable"


def exchange_code(code, redirect_uri, code_verifier=None):
    """Exchanges an authorization code at Google's token endpoint and returns its answer."""
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": settings.GOOGLE_CLIENT_ID,
        "client_secret": settings.GOOGLE_CLIENT_SECRET,
        "redirect_uri": redirect_uri,
    }
    if code_verifier:
        data["code_verifier"] = code_verifier
    try:
        resp = requests.post(settings.GOOGLE_TOKEN_URL, data=data, timeout=settings.GOOGLE_TIMEOUT)
    except requests.RequestException as exc:
        log.warning("google token endpoint failed: %s", type(exc).__name__)
        raise GoogleUnavailable()

    body = _json_object(resp)
    if resp.status_code == 400:
        error = body.get("error") if body else None
        log.info("google refused the code: status=400 error=%s", error)
        raise GoogleRejected(f"Google refused the authorization code ({error or 'no reason'}).")
    if resp.status_code != 200 or not body or not isinstance(body.get("access_token"), str):
        log.warning("google token endpoint answered status=%s", resp.status_code)
        raise GoogleUnavailable()
    return body


def fetch_userinfo(access_token):
    """Reads the signed-in user's OpenID Connect profile; it always carries `sub`."""
    try:
        resp = requests.get(
            settings.GOOGLE_USERINFO_URL,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.GOOGLE_TIMEOUT,
        )
    except requests.RequestException as exc:
        log.warning("google userinfo endpoint failed: %s", type(exc).__name__)
        raise GoogleUnavailable()

    body = _json_object(resp)
    if resp.status_code != 200 or not body or not isinstance(body.get("sub"), str):
        log.warning("google userinfo endpoint answered status=%s", resp.status_code)
        raise GoogleUnavailable()
    return body


def _json_object(resp):
    """Returns the answer's JSON object, or None when the body is not one."""
    try:
        body = resp.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None

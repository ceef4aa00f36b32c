"""API tokens that expire and can be revoked. A token is a credential, not a record: revoking it
removes it (the audit log keeps when it was made and revoked, never its key)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_expires_at(token: Token) -> datetime.datetime:
    return token.created + datetime.timedelta(days=settings.ASCM_API_TOKEN_DAYS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …`, refused once the token is older than ASCM_API_TOKEN_DAYS."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expires_at(token) <= timezone.now():
            raise exceptions.AuthenticationFailed("This API token has expired. Create a new one on your account page.")
        return user, token


def token_for(*, user) -> Token | None:
    return Token.objects.filter(user=user).first()


@transaction.atomic
def token_create(*, user) -> Token:
    """A new token for the user, replacing any they had (the old one stops working at once)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_revoke(*, user) -> bool:
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from marketplace.accounts.tokens import user_from_token


class BearerTokenMiddleware:
    """`Authorization: Bearer <access token>` signs the request in; a bad token is flagged
    (the API answers it with INVALID_TOKEN) rather than silently ignored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            token = token.strip()
            request.token_invalid = False

            def resolve():
                user = user_from_token(token)
                if user is None:
                    request.token_invalid = True
                    return AnonymousUser()
                return user

            request.user = SimpleLazyObject(resolve)
            request._force_token_check = True
        return self.get_response(request)

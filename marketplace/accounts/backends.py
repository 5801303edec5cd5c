from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from marketplace.accounts import selectors


class AdminLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for the admin's sign-in form (AXES_ONLY_ADMIN_SITE).
    A call without a request (a script, the test client's login) is not a sign-in form's
    and passes on to the next backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class EmailOrPhoneBackend(ModelBackend):
    """Signs in with an email or a mobile number (any digits, any common format)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        login = username or kwargs.get("email") or kwargs.get("phone")
        if not login or password is None:
            return None
        user = selectors.user_by_login(login)
        if user is None:
            # Hash anyway so a missing account takes as long as a wrong password.
            self.user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    @property
    def user_model(self):
        from django.contrib.auth import get_user_model

        return get_user_model()

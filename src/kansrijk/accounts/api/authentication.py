"""API authentication that honours the two-factor rule of the user's role."""

from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication

from ..otp import otp_required_for


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser session, but only once the second login step is done when the role requires it.

    TwoFactorRequiredMiddleware leaves /api/ alone because token clients have no second step; without this check a
    password alone would open the API to anyone holding the half-finished session cookie. CSRF is enforced on unsafe
    methods as in DRF's SessionAuthentication.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if not user.is_verified() and otp_required_for(user):
            return None
        return result


class VerifiedSessionScheme(SessionScheme):
    """The OpenAPI description is the one of DRF's session authentication (cookieAuth)."""

    target_class = VerifiedSessionAuthentication

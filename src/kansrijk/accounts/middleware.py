from django.shortcuts import redirect
from django.urls import reverse

from .otp import otp_required_for


class TwoFactorRequiredMiddleware:
    """Sends a logged-in user whose role requires TOTP to set up or enter their code before anything else.

    API token requests are not sessions and are not affected; tokens are issued by an administrator.
    """

    EXEMPT_PREFIXES = ("/account/", "/static/", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and not user.is_verified()  # checked first: it needs no query
            and otp_required_for(user)
        ):
            return redirect(f"{reverse('accounts:otp')}?next={request.get_full_path()}")
        return self.get_response(request)

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login

from . import otp


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class TokenForm(forms.Form):
    token = forms.CharField(label=_("Code uit uw authenticator-app"), max_length=6, min_length=6,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                          "pattern": "[0-9]{6}", "autofocus": True}))


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else "/"


@login_required
def otp_view(request):
    """Second step of the login: enter the TOTP code, or set up the authenticator app the first time."""
    device = otp.confirmed_device(request.user)
    setting_up = device is None
    if setting_up:
        device = otp.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # django-otp waits longer after every wrong code (OTP_TOTP_THROTTLE_FACTOR); a code sent while it waits is
        # not even checked, so guessing the six digits takes years instead of minutes.
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("Er zijn te veel verkeerde codes na elkaar ingevuld. Wacht even en probeer "
                                      "het dan opnieuw met de code die de app op dat moment toont."))
        elif device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_safe_next(request))
        else:
            form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de volgende code."))
    context = {"form": form, "setting_up": setting_up, "next": _safe_next(request)}
    if setting_up:
        context["qr_svg"] = otp.qr_code_svg(device)
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/otp.html", context)

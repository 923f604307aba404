"""API conventions shared by every app: errors as problem details (RFC 9457)."""

import math

from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .ids import MAX_ID

PROBLEM_TYPE = "https://kansrijk.readthedocs.io/problems/"


def problem_details_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    invalid_params = []
    if isinstance(exc, exceptions.ValidationError):
        detail = _("De invoer is ongeldig.")
        if isinstance(data, dict):
            for name, messages in data.items():
                for message in messages if isinstance(messages, list) else [messages]:
                    invalid_params.append({"name": name, "code": getattr(message, "code", "invalid"),
                                           "reason": str(message)})
        else:
            invalid_params = [{"name": "nonFieldErrors", "code": "invalid", "reason": str(m)} for m in data]
    else:
        detail = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
    code = getattr(exc, "default_code", "error")
    title = str(getattr(exc, "default_detail", detail))
    if isinstance(exc, exceptions.Throttled):
        # DRF's Dutch here is half English ("Expected available in ..."); the wait is in Retry-After as well.
        title = _("Te veel verzoeken")
        detail = _("Te veel verzoeken in korte tijd. Probeer het over %(seconds)s seconden opnieuw.") % {
            "seconds": math.ceil(exc.wait or 1)}
    problem = {
        "type": f"{PROBLEM_TYPE}{code}",
        "code": code,
        "title": title,
        "status": response.status_code,
        "detail": detail,
        "instance": context["request"].path if context.get("request") else "",
    }
    if invalid_params:
        problem["invalidParams"] = invalid_params
    # Extension members (RFC 9457 §3.2) an exception carries, e.g. the current version in a 409 of a stale edit.
    problem.update(getattr(exc, "problem_members", None) or {})
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}
    return Response(problem, status=response.status_code, headers=headers, content_type="application/problem+json")


class IdField(serializers.IntegerField):
    """A database id in a request body: a positive number that fits a 64-bit integer, so an absurd value is a 400
    with a clear message instead of an overflow in the database driver."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

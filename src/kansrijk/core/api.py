"""API conventions shared by every app: errors as problem details (RFC 9457)."""

import logging
import math

from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .ids import MAX_ID

PROBLEM_TYPE = "https://kansrijk.readthedocs.io/problems/"


def problem_details_handler(exc, context):
    if isinstance(exc, SuspiciousOperation):
        # Django refuses to parse some requests (more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS, a body over
        # DATA_UPLOAD_MAX_MEMORY_SIZE); unhandled, that was Django's HTML error page instead of problem details.
        logging.getLogger(f"django.security.{type(exc).__name__}").warning("%s", exc)
        exc = exceptions.ParseError(_("Het verzoek kan niet worden gelezen: het is te groot of heeft te veel velden."))
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


class SingleObjectSchema(AutoSchema):
    """For a client-nested route whose GET (``list``) answers with the client's one object (the job-seeker profile,
    the distance indicator): drf-spectacular would document every ``list`` as an array."""

    def _is_list_view(self, serializer=None):
        return False


class IdField(serializers.IntegerField):
    """A database id in a request body: a positive number that fits a 64-bit integer, so an absurd value is a 400
    with a clear message instead of an overflow in the database driver."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


# --- Error responses in the OpenAPI schema -------------------------------------------------------------------------

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Een fout als problem details (RFC 9457).",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "code": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "code": {"type": "string"}, "reason": {"type": "string"}},
                "required": ["name", "code", "reason"],
            },
        },
    },
    "required": ["type", "code", "title", "status", "detail", "instance"],
}
ERROR_DESCRIPTIONS = {
    "400": "De invoer is ongeldig; invalidParams noemt per veld wat er mis is.",
    "401": "Niet ingelogd.",
    "403": "Geen toegang met deze rol of tot deze cliënt.",
    "404": "Niet gevonden, of niet zichtbaar voor deze gebruiker (ook: een paginanummer voorbij de laatste pagina).",
    "429": "Te veel verzoeken; Retry-After zegt wanneer het weer kan.",
}


def document_problem_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation's error answers (all problem details from
    ``problem_details_handler``) in the schema, so clients and the schema-conformance fuzzing know them.

    400 for every write and wherever the request carries query parameters (a write may also be refused for the
    object's state, e.g. closing a closed campaign), 404 wherever a path or query parameter names something (an id, a
    municipality, a region, a page), 401/403/429 everywhere (every endpoint needs a login, a role and is throttled).
    Responses an operation declares itself (e.g. an import's 422) are kept; one declared without a body (just a
    description) gets the problem-details body.
    """
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            parameters = operation.get("parameters", [])
            codes = ["401", "403", "429"]
            has_query = any(p.get("in") == "query" for p in parameters)
            if method != "get" or "requestBody" in operation or has_query:
                codes.append("400")
            if has_query or any(p.get("in") == "path" for p in parameters):
                codes.append("404")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code]})
            for code, response in responses.items():
                if code.startswith("4") and "content" not in response:
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": reference}}
    return result

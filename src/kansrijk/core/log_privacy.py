"""Keep personal data out of the log.

The log is read by operators who may not see client data, is kept longer than an access record and is often shipped
to another system. What Django puts in it by default can carry personal data in two places: the query string of a
request line (a search on a name: ``/klanten/?q=Jansen``) and the message of an exception (a database error quotes the
offending row: ``Key (bsn)=(111222333) already exists``). The filters below are attached to the console handler in
settings.LOGGING, so they apply to every record that reaches it, whichever logger it came from.
"""

import hashlib
import hmac
import logging
import re
import traceback

from django.conf import settings

# A path followed by a query string, as in a request line or a Referer: the query string goes, the path stays (paths
# carry ids, which the access log already ties to a person under its own access rules).
QUERY_STRING = re.compile(r"(/[^\s?\"'#]*)\?[^\s\"'#]*")
QUERY_REPLACEMENT = r"\1?[…]"


def strip_query_strings(text: str) -> str:
    return QUERY_STRING.sub(QUERY_REPLACEMENT, text)


class StripQueryStrings(logging.Filter):
    """Removes the query string from every URL in a record's message and arguments (django.server's request line,
    django.request's warnings, a library's own messages)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = strip_query_strings(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(strip_query_strings(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: strip_query_strings(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


WITHHELD = "[message withheld: it may contain personal data]"


def _exception_name(exc: BaseException) -> str:
    module = type(exc).__module__
    return type(exc).__qualname__ if module == "builtins" else f"{module}.{type(exc).__qualname__}"


class RedactExceptionMessages(logging.Filter):
    """Keeps an exception's traceback (file, line, function: code, not data) and type, but not its message, which
    may quote the data that caused it. The full exception is still raised where it happened; only the log loses the
    message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            lines = []
            seen = set()
            while exc is not None and id(exc) not in seen:
                seen.add(id(exc))
                frames = "".join(traceback.format_tb(exc.__traceback__))
                lines.insert(0, f"Traceback (most recent call last):\n{frames}{_exception_name(exc)}: {WITHHELD}")
                exc = exc.__cause__ or exc.__context__
            record.exc_text = "\nDuring handling, another exception occurred:\n".join(lines).rstrip()
            # Another handler formatting exc_info itself would put the message back.
            record.exc_info = None
        return True


def pseudonymous_login_client(username, ip_address, user_agent, path_info, request) -> str:
    """django-axes' description of a login attempt in its log lines (AXES_CLIENT_STR_CALLABLE): a keyed hash of
    username and address. axes itself masks both as "****", which hides whether failures come from one source; the
    pseudonym shows that without the log holding a name or an address. An administrator compares it with
    ``pseudonymous_login_client(username, address, ...)`` in a shell, or looks at the lockouts in the admin (which do
    show the username, under access control)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{username}\x00{ip_address}".encode(), hashlib.sha256)
    return f"{{login: {digest.hexdigest()[:12]}}}"

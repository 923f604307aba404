"""Settings, read from environment variables (see docs/configuration.md).

``DATABASE_URL`` defaults to a SQLite file in the project folder so that ``make run`` needs nothing else.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("KANSRIJK_HOME", Path.cwd()))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


DEBUG = env_bool("DEBUG", False)
# Without SECRET_KEY a development key is used, which `kansrijk check --deploy` reports as insecure.
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "django-insecure-development-only-key-for-kansrijk-local-use-0123456789"
)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The CBS municipality code of the installation's own municipality: the default for imports.
KANSRIJK_DEFAULT_GEMEENTE = os.environ.get("KANSRIJK_GEMEENTE", "9999")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "kansrijk.core",
    "kansrijk.accounts",
    "kansrijk.audit",
    "kansrijk.caseload",
    "kansrijk.catalogue",
    "kansrijk.diagnosis",
    "kansrijk.inview",
    "kansrijk.trajectories",
    "kansrijk.matching",
    "kansrijk.monitoring",
    "kansrijk.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kansrijk.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kansrijk.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kansrijk.urls"
WSGI_APPLICATION = "kansrijk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kansrijk.core.context_processors.capabilities",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'kansrijk.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes; the import itself runs in one transaction.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes): per username and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# axes masks username and address in its log lines ("****"), so failures from one source cannot be told apart from
# an attack on many accounts; a keyed pseudonym of the two can, and the log still holds neither.
AXES_CLIENT_STR_CALLABLE = "kansrijk.core.log_privacy.pseudonymous_login_client"
# django-otp backs off after a wrong code (1, 2, 4, ... seconds): this factor is its default, stated so that nobody
# switches the throttling off unknowingly (0 would).
OTP_TOTP_THROTTLE_FACTOR = 1

# Idle timeout: the session expires after this many seconds without a request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# No script reads the CSRF cookie: forms, htmx's hx-post included, send the token as a hidden field.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only the site's own scripts and stylesheets, no inline script without the
# per-request nonce, no inline style attributes. The API documentation pages relax this for themselves
# (urls.py, API_DOCS_CSP); nothing else does.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # Chart.js draws on a canvas and the two-factor QR code is inline SVG: neither needs an image source.
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
SILENCED_SYSTEM_CHECKS = [
    # TLS terminates at the municipality's reverse proxy; redirecting here would loop behind it.
    "security.W008",
] + (["security.W004", "security.W012", "security.W016"] if env_bool("ALLOW_PLAIN_HTTP", False) else [])
OTP_TOTP_ISSUER = "Kansrijk"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The project-wide assets (stylesheet, vendored htmx) live beside the package, not in one app.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = PROJECT_DIR / "var" / "static"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", PROJECT_DIR / "var" / "media"))
# Uploaded exports awaiting confirmation live here, outside any web-served folder.
KANSRIJK_UPLOAD_DIR = Path(os.environ.get("KANSRIJK_UPLOAD_DIR", PROJECT_DIR / "var" / "uploads"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
KANSRIJK_MAX_UPLOAD_BYTES = int(os.environ.get("KANSRIJK_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "kansrijk.accounts.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "kansrijk.core.api.problem_details_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "600/hour"),
        "user": os.environ.get("API_RATE", "6000/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Who an anonymous caller is, for the anon throttle. Unset, DRF takes the X-Forwarded-For header as given, which
    # the caller writes (a new value per request escapes the throttle); 0 uses the socket address, 1 the address the
    # municipality's reverse proxy appended.
    "NUM_PROXIES": 1 if env_bool("BEHIND_TLS_PROXY", False) else 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kansrijk API",
    "DESCRIPTION": "Klantenbestand, diagnose, matching en monitoring voor langdurige bijstand. "
    "Fouten volgen RFC 9457 (problem details).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApproachStatusEnum": "kansrijk.catalogue.vocabulary.Status",
        "ImportRunStatusEnum": "kansrijk.caseload.models.ImportRun.Status",
        "LanguageLevelEnum": "kansrijk.diagnosis.models.LanguageLevel",
        "MotivationEnum": "kansrijk.diagnosis.models.Motivation",
        "DistanceClassEnum": "kansrijk.diagnosis.models.DistanceClass",
        "GoalKindEnum": "kansrijk.trajectories.models.GoalKind",
        "ApproachKindEnum": "kansrijk.catalogue.vocabulary.Kind",
        "AgreedHowEnum": "kansrijk.trajectories.models.AgreedHow",
        "PlanActionOwnerEnum": "kansrijk.trajectories.models.Owner",
        "VacancyStatusEnum": "kansrijk.matching.models.VacancyStatus",
        "ProposalStatusEnum": "kansrijk.matching.models.ProposalStatus",
        "MatchStatusEnum": "kansrijk.matching.api.employer_serializers.MATCH_STATUSES",
        "NewProposalStatusEnum": "kansrijk.matching.api.employer_serializers.NEW_PROPOSAL_STATUSES",
        "PlacementKindEnum": "kansrijk.matching.models.PlacementKind",
        "SectorEnum": "kansrijk.matching.models.Sector",
        "InstrumentEnum": "kansrijk.matching.models.Instrument",
        "EducationEnum": "kansrijk.diagnosis.models.Education",
        "CandidateInvitationStatusEnum": "kansrijk.matching.models.InvitationStatus",
        "ReferralStatusEnum": "kansrijk.trajectories.codes.ReferralStatus",
        "TrajectoryStatusEnum": "kansrijk.trajectories.codes.TrajectoryStatus",
        "GoalProgressEnum": "kansrijk.trajectories.codes.GoalProgress",
        "DeclineReasonEnum": "kansrijk.trajectories.codes.DeclineReason",
        "EndReasonEnum": "kansrijk.trajectories.codes.EndReason",
        "PauseReasonEnum": "kansrijk.trajectories.codes.PauseReason",
        "DropoutReasonEnum": "kansrijk.trajectories.codes.DropoutReason",
        "TrajectoryResultEnum": "kansrijk.trajectories.codes.Result",
        "AftercareOutcomeEnum": "kansrijk.trajectories.codes.AftercareOutcome",
    },
    # The enum hook is drf-spectacular's default; ours adds the problem-details error answers of every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kansrijk.core.api.document_problem_responses",
    ],
}

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = True  # an address is personal data too and adds nothing to "who changed what"

# A new benefit spell within this many months of the end of the previous one is flagged as a return to benefit
# (draaideur). Two years: CBS follows outflow to work for 18 months (anchors.md §5.4); later returns count as new
# inflow rather than a revolving door.
KANSRIJK_DRAAIDEUR_MONTHS = int(os.environ.get("KANSRIJK_DRAAIDEUR_MONTHS", "24"))
# Aftercare (nazorg) after outflow: a contact this many months after the end (the agreed period, seed 000 L149).
KANSRIJK_NAZORG_MONTHS = tuple(int(m) for m in os.environ.get("KANSRIJK_NAZORG_MONTHS", "1,3,6").split(","))

# Access records outside one's own caseload above this count in the report window flag a user for review.
KANSRIJK_ACCESS_REPORT_MIN = int(os.environ.get("KANSRIJK_ACCESS_REPORT_MIN", "25"))

# The key of the pseudonyms in analysis exports (HMAC-SHA256 over the client's internal id). Deliberately not in the
# database and not the SECRET_KEY: whoever holds a database copy and the exports still cannot link them back. Required
# when a real SECRET_KEY is set (production); on a development key a derived development key is used, with a warning.
PSEUDONYMISATION_KEY = os.environ.get("PSEUDONYMISATION_KEY", "")

# No personal data in the log (core/log_privacy.py): query strings (searches on a name) and exception messages (a
# database error quotes the offending values) are cut from every record the console handler writes.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_query_strings": {"()": "kansrijk.core.log_privacy.StripQueryStrings"},
        "no_exception_messages": {"()": "kansrijk.core.log_privacy.RedactExceptionMessages"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_query_strings", "no_exception_messages"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own defaults give these loggers handlers that bypass the filters above (runserver's request lines
        # carry the query string): everything goes through the filtered console handler instead.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
        # With DEBUG on, Django logs every SQL statement with its parameters (names, BSNs) at DEBUG level.
        "django.db.backends": {"level": "INFO"},
    },
}

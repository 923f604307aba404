from django.conf import settings
from django.core.checks import Warning, register

from kansrijk.core.pseudonyms import DEVELOPMENT_SECRET_PREFIX


@register(deploy=True)
def pseudonymisation_key_set(app_configs, **kwargs):
    """``check --deploy`` names a missing analysis key before an analyst runs into it."""
    if getattr(settings, "PSEUDONYMISATION_KEY", "") or settings.SECRET_KEY.startswith(DEVELOPMENT_SECRET_PREFIX):
        return []
    return [Warning("PSEUDONYMISATION_KEY is not set: pseudonymised analysis exports are refused.",
                    hint="Set PSEUDONYMISATION_KEY (a long random value, kept outside the database).",
                    id="privacy.W001")]

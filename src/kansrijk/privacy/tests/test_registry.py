"""Complete by construction: every model that can reach a Client through foreign keys is in the access-request
export and in anonymisation (``registry.SPECS``), or excluded with a reason. A new model holding client data fails
here until someone decides how it is shown and anonymised."""

from django.apps import apps
from django.db import models

from kansrijk.caseload.models import Client
from kansrijk.privacy.registry import EXCLUDED, SPECS


def models_reaching_client() -> dict[type, str]:
    """Every model (auto-created many-to-many tables included) with a chain of foreign keys or one-to-ones ending
    at Client, with the first path found."""
    paths: dict[type, str] = {Client: ""}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models(include_auto_created=True):
            if model in paths:
                continue
            for field in model._meta.get_fields():
                if field.concrete and isinstance(field, models.ForeignKey | models.OneToOneField) \
                        and field.related_model in paths:
                    rest = paths[field.related_model]
                    paths[model] = field.name + (f"__{rest}" if rest else "")
                    changed = True
                    break
    del paths[Client]
    return paths


def test_every_model_with_client_data_is_covered_or_excluded_with_a_reason():
    covered = {spec.model for spec in SPECS}
    missing = sorted(model._meta.label for model in models_reaching_client() if model not in covered
                     and model not in EXCLUDED)
    assert not missing, f"Models with client data missing from privacy.registry (export and retention): {missing}"
    assert all(reason.strip() for reason in EXCLUDED.values())


def test_the_registry_lists_nothing_twice_and_no_stale_exclusion():
    reaching = models_reaching_client()
    assert len({spec.model for spec in SPECS}) == len(SPECS)
    assert not set(EXCLUDED) & {spec.model for spec in SPECS}
    assert set(EXCLUDED) <= set(reaching)


def test_every_path_really_leads_to_the_client(world):
    for spec in SPECS:
        # An invalid lookup raises FieldError; a valid one just yields no rows.
        list(spec.model.objects.filter(**{spec.path: world.own})[:1])


def test_the_discovery_sees_a_model_added_later():
    """The walk is what keeps the registry honest: it finds models several hops away (a report's goal progress)."""
    from kansrijk.trajectories.models import ReportGoalProgress

    path = models_reaching_client()[ReportGoalProgress]
    assert path.startswith("report__trajectory__") and path.endswith("__client")

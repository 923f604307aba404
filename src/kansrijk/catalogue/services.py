"""Services that change the catalogue: loading content, local offer, local approaches, assessments, exchange files.

Every service is one transaction and checks the actor's role itself, so the UI, the API and the commands share
one set of rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from kansrijk.accounts import roles
from kansrijk.accounts.models import Municipality, User

from . import content
from . import vocabulary as v
from .models import (
    FACET_FIELDS,
    Approach,
    ApproachFacet,
    ApproachResult,
    Assessment,
    AssessmentScore,
    LocalOffer,
    WorkingElement,
)
from .search import document_for

SCALAR_FIELDS = (
    content.TEXT_FIELDS
    + content.INTEGER_FIELDS
    + content.NUMBER_FIELDS
    + content.BOOLEAN_FIELDS
    + ("kind", "goal", "status", "srg_category", "effect_level", "local_working_elements", "pitfalls", "sources")
)
LOCAL_OFFER_FIELDS = (
    "active", "capacity", "contact_person", "contact_email", "contact_phone", "provider",
    "cost_per_participant_eur", "costs", "intake_moments", "notes",
)  # fmt: skip


@dataclass
class LoadSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    local_offers: int = 0
    skipped: list[str] = field(default_factory=list)
    problems: list[content.ContentProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "retired": self.retired,
            "local_offers": self.local_offers,
            "skipped": self.skipped,
            "problems": [str(problem) for problem in self.problems],
        }


def _require(user: User | None, allowed: frozenset) -> None:
    if user is not None and not user.has_role(allowed):
        raise PermissionDenied


# --- Loading entries -------------------------------------------------------------------------------------------


def _model_value(name: str, value):
    if name in content.NUMBER_FIELDS:
        return None if value is None else content.parse_number(value)
    if name in content.TEXT_FIELDS:
        return value or ""
    if name in ("goal", "status", "srg_category"):
        return value or ""
    if name in ("local_working_elements", "pitfalls"):
        return list(value or [])
    if name == "sources":
        return dict(value or {})
    return value


def _comparable(value):
    return float(value) if isinstance(value, Decimal) else value


def entry_from_approach(approach: Approach) -> dict:
    """An approach as a content entry (the shape of ``content/README.md``); reads prefetched relations."""
    entry = {"slug": approach.slug}
    for name in SCALAR_FIELDS:
        value = getattr(approach, name)
        if isinstance(value, Decimal):
            value = float(value) if value != value.to_integral() else int(value)
        entry[name] = value
    for facet, name in FACET_FIELDS.items():
        entry[name] = approach.ladder_steps if name == "ladder_steps" else approach.facet_values(facet)
    entry["working_elements"] = [element.key for element in approach.working_elements.all()]
    entry["results"] = [
        {
            "description": result.description,
            "value": None if result.value is None else _comparable(result.value),
            "unit": result.unit,
            "period": result.period,
            "source": result.source,
        }
        for result in approach.results.all()
    ]
    return entry


def _normalised(entry: dict) -> dict:
    """An entry with every field present and values in their stored form, for change detection."""
    normal = {"slug": entry["slug"]}
    for name in SCALAR_FIELDS:
        value = _model_value(name, entry.get(name))
        normal[name] = _comparable(value)
    for name in FACET_FIELDS.values():
        normal[name] = sorted(map(str, entry.get(name) or []))
    normal["working_elements"] = sorted(entry.get("working_elements") or [])
    normal["results"] = [
        {
            "description": result.get("description", ""),
            "value": None if result.get("value") is None else float(content.parse_number(result["value"])),
            "unit": result.get("unit") or "",
            "period": result.get("period") or "",
            "source": result.get("source") or "",
        }
        for result in entry.get("results") or []
    ]
    return normal


def _write_approach(approach: Approach | None, entry: dict, *, owner: Municipality | None, elements: dict) -> Approach:
    is_new = approach is None
    if is_new:
        approach = Approach(slug=entry["slug"], owner=owner)
    else:
        approach.version += 1
    for name in SCALAR_FIELDS:
        setattr(approach, name, _model_value(name, entry.get(name)))
    approach.save()
    if not is_new:
        approach.facets.all().delete()
        approach.results.all().delete()
    ApproachFacet.objects.bulk_create(
        ApproachFacet(approach=approach, facet=facet, value=str(value))
        for facet, name in FACET_FIELDS.items()
        for value in entry.get(name) or []
    )
    ApproachResult.objects.bulk_create(
        ApproachResult(
            approach=approach,
            position=position,
            description=result["description"],
            value=None if result.get("value") is None else content.parse_number(result["value"]),
            unit=result.get("unit") or "",
            period=result.get("period") or "",
            source=result.get("source") or "",
        )
        for position, result in enumerate(entry.get("results") or [])
    )
    approach.working_elements.set([elements[key] for key in entry.get("working_elements") or []])
    return approach


def _load_working_elements(entries) -> dict[str, WorkingElement]:
    existing = {element.key: element for element in WorkingElement.objects.all()}
    for position, entry in enumerate(entries):
        values = {
            "category": entry["category"],
            "target_group": entry.get("target_group") or "",
            "label": entry["label"],
            "description": entry.get("description") or "",
            "need": entry.get("need") or "",
            "source": entry.get("source") or "",
            "position": position,
        }
        element = existing.get(entry["key"])
        if element is None:
            existing[entry["key"]] = WorkingElement.objects.create(key=entry["key"], **values)
        elif any(getattr(element, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(element, name, value)
            element.save()
    return existing


def load_shipped_catalogue() -> LoadSummary:
    """Load (or update) the catalogue shipped in ``content/``. Idempotent; a shipped approach that was removed from
    the files is retired, not deleted, so local offers and assessments keep their history."""
    problems = content.validate_shipped_content()
    if problems:
        return LoadSummary(problems=problems)
    entries = [entry for _, entry in content.shipped_approaches()]
    with transaction.atomic():
        elements = _load_working_elements(content.working_elements())
        summary = _upsert(entries, owner=None, elements=elements)
        gone = Approach.objects.current().filter(owner__isnull=True).exclude(slug__in=[e["slug"] for e in entries])
        summary.retired = gone.update(retired_at=timezone.now(), retired_reason="Niet meer in de meegeleverde catalogus")
        refresh_search_documents()
    return summary


def _upsert(entries, *, owner, elements, editable=None) -> LoadSummary:
    summary = LoadSummary()
    existing = {
        approach.slug: approach
        for approach in Approach.objects.filter(slug__in=[entry["slug"] for entry in entries]).prefetch_related(
            "facets", "results", "working_elements"
        )
    }
    for entry in entries:
        approach = existing.get(entry["slug"])
        if approach is not None and editable is not None and not editable(approach):
            summary.skipped.append(entry["slug"])
            continue
        if approach is None:
            _write_approach(None, entry, owner=owner, elements=elements)
            summary.created += 1
        elif _normalised(entry_from_approach(approach)) == _normalised(entry) and approach.retired_at is None:
            summary.unchanged += 1
        else:
            approach.retired_at = None
            approach.retired_reason = ""
            _write_approach(approach, entry, owner=approach.owner, elements=elements)
            summary.updated += 1
    return summary


def refresh_search_documents(approach_ids=None) -> int:
    """Rebuild the stemmed search text of approaches (all, or the given ids) in bulk."""
    approaches = Approach.objects.prefetch_related("working_elements")
    if approach_ids is not None:
        approaches = approaches.filter(id__in=approach_ids)
    changed = []
    for approach in approaches:
        document = document_for(
            approach.name,
            approach.name,  # the name twice, so that a hit in the name ranks above one in the text
            approach.municipality,
            approach.region,
            approach.provider,
            approach.description,
            approach.target_group_description,
            approach.entry_criteria,
            " ".join(approach.local_working_elements),
            " ".join(element.label for element in approach.working_elements.all()),
        )
        if document != approach.search_document:
            approach.search_document = document
            changed.append(approach)
    Approach.objects.bulk_update(changed, ["search_document"], batch_size=500)
    return len(changed)


# --- Local offer and local approaches --------------------------------------------------------------------------


def _check_municipality(user: User, municipality: Municipality) -> None:
    if not user.is_superuser and not user.municipalities.filter(pk=municipality.pk).exists():
        raise PermissionDenied


def set_local_offer(*, approach: Approach, municipality: Municipality, values: dict, by: User) -> LocalOffer:
    """Mark an approach as offered by a municipality with its local terms (the menukaart)."""
    _require(by, roles.MANAGES_CATALOGUE)
    _check_municipality(by, municipality)
    if approach.retired_at is not None:
        raise ValidationError({"approach": "Deze aanpak is uit de catalogus gehaald en kan niet worden aangeboden."})
    unknown = set(values) - set(LOCAL_OFFER_FIELDS)
    if unknown:
        raise ValidationError({name: "Onbekend veld." for name in unknown})
    with transaction.atomic():
        offer, _ = LocalOffer.objects.get_or_create(municipality=municipality, approach=approach)
        for name, value in values.items():
            # Text fields store "nothing" as an empty string, never NULL.
            text = isinstance(LocalOffer._meta.get_field(name), (models.CharField, models.TextField))
            setattr(offer, name, "" if value is None and text else value)
        offer.updated_by = by
        offer.full_clean()
        offer.save()
    return offer


def withdraw_local_offer(*, approach: Approach, municipality: Municipality, by: User) -> None:
    """Stop offering an approach locally. The record stays (inactive) so its history is kept."""
    _require(by, roles.MANAGES_CATALOGUE)
    _check_municipality(by, municipality)
    with transaction.atomic():
        for offer in LocalOffer.objects.filter(municipality=municipality, approach=approach, active=True):
            offer.active = False
            offer.updated_by = by
            offer.save()


def save_local_approach(*, entry: dict, municipality: Municipality, by: User, approach: Approach | None = None) -> Approach:
    """Create or change a municipality's own approach. Shipped approaches are changed only through the content
    files; another municipality's approaches not at all."""
    _require(by, roles.MANAGES_CATALOGUE)
    _check_municipality(by, municipality)
    if approach is not None and approach.owner_id != municipality.pk:
        raise PermissionDenied
    entry = {**entry}
    if approach is not None:
        entry["slug"] = approach.slug
    elif Approach.objects.filter(slug=entry.get("slug")).exists():
        raise ValidationError({"slug": "Deze sleutel is al in gebruik; kies een andere."})
    problems = content.validate_approach(entry, entry.get("name") or "aanpak", require_sources=False)
    if problems:
        raise ValidationError([str(problem) for problem in problems])
    with transaction.atomic():
        elements = {element.key: element for element in WorkingElement.objects.all()}
        saved = _write_approach(approach, entry, owner=municipality, elements=elements)
        refresh_search_documents([saved.pk])
    return saved


def retire_approach(*, approach: Approach, reason: str, by: User) -> Approach:
    """Take a municipality's own approach out of the catalogue; it stays readable with its history."""
    _require(by, roles.MANAGES_CATALOGUE)
    if approach.owner is None:
        raise ValidationError(
            "Een aanpak uit de landelijke catalogus haalt u niet weg; u kunt hem wel niet (meer) lokaal aanbieden."
        )
    _check_municipality(by, approach.owner)
    if not reason.strip():
        raise ValidationError({"reason": "Geef een reden op."})
    with transaction.atomic():
        approach.retired_at = timezone.now()
        approach.retired_reason = reason.strip()
        approach.save(update_fields=["retired_at", "retired_reason", "updated_at"])
        LocalOffer.objects.filter(approach=approach, active=True).update(active=False)
    return approach


# --- Assessment ------------------------------------------------------------------------------------------------


def record_assessment(
    *,
    approach: Approach,
    by: User,
    scores: dict[str, tuple[int, str]],
    checklist: dict[str, dict] | None = None,
    effect_level: int | None = None,
    conclusion: str = "",
) -> Assessment:
    """Score an approach on the six dimensions of the assessment framework, each with its reasoning. A new
    assessment never replaces an old one: the history of scores is kept."""
    _require(by, roles.ASSESSES_APPROACHES)
    errors = {}
    for dimension in v.Dimension.values:
        score, reasoning = scores.get(dimension, (None, ""))
        if score not in v.Score.values:
            errors[dimension] = "Kies een score van ++ tot --."
        elif not (reasoning or "").strip():
            errors[dimension] = "Onderbouw de score."
    for dimension in set(scores) - set(v.Dimension.values):
        errors[dimension] = "Onbekende dimensie."
    checklist = checklist or {}
    for key, answer in checklist.items():
        if key not in v.Checklist.values:
            errors[f"checklist.{key}"] = "Onbekende vraag."
        elif answer.get("answer") not in ("ja", "nee", "onbekend"):
            errors[f"checklist.{key}"] = "Antwoord met ja, nee of onbekend."
    if effect_level not in (None, *v.EffectLevel.values):
        errors["effect_level"] = "Kies een niveau van 1 tot en met 4."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            approach=approach,
            assessor=by,
            municipality=by.municipalities.order_by("pk").first(),
            effect_level=effect_level,
            checklist={key: {"answer": a["answer"], "note": (a.get("note") or "").strip()} for key, a in checklist.items()},
            conclusion=conclusion.strip(),
        )
        AssessmentScore.objects.bulk_create(
            AssessmentScore(assessment=assessment, dimension=dimension, score=scores[dimension][0],
                            reasoning=scores[dimension][1].strip())
            for dimension in v.Dimension.values
        )
    return assessment

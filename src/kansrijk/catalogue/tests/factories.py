"""Small helpers to put approaches in the catalogue the way the services do (facets, results, search text)."""

import itertools

from kansrijk.catalogue.models import Approach, WorkingElement
from kansrijk.catalogue.services import _write_approach, refresh_search_documents

_numbers = itertools.count(1)


def working_element(key="hc-tijd-en-caseload", category="human_capital_first", **extra) -> WorkingElement:
    return WorkingElement.objects.get_or_create(
        key=key, defaults={"category": category, "label": extra.pop("label", key.replace("-", " ")), **extra}
    )[0]


def entry(**overrides) -> dict:
    number = next(_numbers)
    values = {
        "slug": f"aanpak-{number}",
        "name": f"Aanpak {number}",
        "kind": "aanpak",
        "description": "Begeleiding naar werk.",
        "goal": "werk",
        "approach_types": [],
        "target_groups": [],
        "phases": [],
        "ladder_steps": [],
        "regimes": [],
        "results": [],
        "working_elements": [],
        "sources": {},
    }
    values.update(overrides)
    return values


def approach(owner=None, **overrides) -> Approach:
    values = entry(**overrides)
    elements = {key: working_element(key) for key in values["working_elements"]}
    created = _write_approach(None, values, owner=owner, elements=elements)
    refresh_search_documents([created.pk])
    created.refresh_from_db()
    return created

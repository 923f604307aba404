"""Check catalogue content files: ``python -m kansrijk.catalogue.validate [FILE ...]``.

Without arguments it checks all shipped content. Exit status 1 when there is any problem.
"""

import sys
from pathlib import Path

import django
from django.conf import settings

if not settings.configured:
    settings.configure(USE_I18N=False)
    django.setup()

from kansrijk.catalogue import content  # noqa: E402


def main(argv: list[str]) -> int:
    if not argv:
        problems = content.validate_shipped_content()
        checked = "alle catalogusinhoud"
    else:
        problems = content.validate_working_elements(content.working_elements())
        element_keys = {element["key"] for element in content.working_elements()}
        shipped = {}
        for filename, entry in content.shipped_approaches():
            shipped.setdefault(entry.get("slug"), filename)
        for name in argv:
            path = Path(name)
            seen = set()
            for entry in content.load_approach_file(path):
                place = f"{path.name}: {entry.get('slug', '?')}"
                problems += content.validate_approach(entry, place, element_keys=element_keys)
                slug = entry.get("slug")
                if slug in seen:
                    problems.append(content.ContentProblem(place, "slug komt twee keer voor in dit bestand"))
                elif shipped.get(slug) not in (None, path.name):
                    problems.append(content.ContentProblem(place, f"slug komt ook voor in {shipped[slug]}"))
                seen.add(slug)
        checked = ", ".join(argv)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problemen in {checked}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

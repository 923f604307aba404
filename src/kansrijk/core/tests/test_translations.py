"""The English catalogue is complete and the interface can be rendered in English as well as in Dutch."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"

_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(\".*\")\s*$")
_PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|\{\{.*?\}\}|\{[a-z_]*\}")


def parse_po(path: Path) -> list[dict]:
    """A small .po parser: entries are separated by blank lines; returns one dict per entry with its flags
    and its strings (continuation lines concatenated) by keyword."""
    entries: list[dict] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        flags: set[str] = set()
        strings: dict[str, str] = {}
        key = None
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif not line or line.startswith("#"):
                continue
            elif line.startswith('"'):
                assert key is not None, f"continuation line without keyword: {raw!r}"
                strings[key] += ast.literal_eval(line)
            else:
                match = _KEYWORD.match(line)
                assert match, f"unparseable line in {path.name}: {raw!r}"
                key = match.group(1)
                assert key not in strings, f"two entries without a blank line between them near {raw!r}"
                strings[key] = ast.literal_eval(match.group(2))
        if strings:
            entries.append({"flags": flags, "strings": strings})
    return entries


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    assert PO_FILE.exists(), f"missing {PO_FILE}"
    return parse_po(PO_FILE)


def _messages(entries):
    return [e for e in entries if e["strings"].get("msgid") != ""]


def test_compiled_catalogue_holds_every_translation(entries):
    # Compare contents, not file times: a fresh clone gives both files arbitrary checkout times.
    import gettext

    assert MO_FILE.exists(), "run `kansrijk compilemessages -l en` and commit django.mo"
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in _messages(entries):
        strings = entry["strings"]
        if "msgid_plural" in strings or "msgctxt" in strings:
            continue
        assert compiled.gettext(strings["msgid"]) == strings["msgstr"], "django.mo is stale: recompile"


def test_header_declares_english_and_plural_forms(entries):
    header = next(e for e in entries if e["strings"].get("msgid") == "")
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["strings"]["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["strings"]["msgstr"]


def test_every_message_is_translated_and_none_is_fuzzy(entries):
    messages = _messages(entries)
    assert len(messages) > 200
    fuzzy = [e["strings"]["msgid"] for e in messages if "fuzzy" in e["flags"]]
    untranslated = [
        e["strings"]["msgid"]
        for e in messages
        if not any(k.startswith("msgstr") for k in e["strings"])
        or any(not v.strip() for k, v in e["strings"].items() if k.startswith("msgstr"))
    ]
    assert fuzzy == []
    assert untranslated == []


def test_plural_entries_have_both_forms(entries):
    plurals = [e for e in _messages(entries) if "msgid_plural" in e["strings"]]
    assert plurals
    for e in plurals:
        assert e["strings"].get("msgstr[0]") and e["strings"].get("msgstr[1]"), e["strings"]["msgid"]


def test_placeholders_are_kept(entries):
    for e in _messages(entries):
        strings = e["strings"]
        expected = sorted(_PLACEHOLDER.findall(strings["msgid"] + strings.get("msgid_plural", "")))
        for key, value in strings.items():
            if key.startswith("msgstr"):
                found = sorted(_PLACEHOLDER.findall(value))
                assert set(found) == set(expected), (strings["msgid"], value)


def test_gettext_uses_the_catalogue():
    with translation.override("en"):
        assert translation.gettext("Inloggen") == "Log in"
        assert translation.gettext("Klantmanager") == "Client manager"
        assert translation.ngettext("%(n)s cliënt gevonden", "%(n)s cliënten gevonden", 3) % {"n": 3} == (
            "3 clients found"
        )
    with translation.override("nl"):
        assert translation.gettext("Inloggen") == "Inloggen"


@pytest.mark.django_db
def test_login_page_in_dutch_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Inloggen" in content
    assert "Gebruikersnaam" in content
    assert "Log in" not in content


@pytest.mark.django_db
def test_login_page_in_english_with_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Log in" in content
    assert "Username" in content
    assert "Password" in content
    assert "Inloggen" not in content
    assert "Gebruikersnaam" not in content


@pytest.mark.django_db
def test_set_language_view_switches_to_english(client):
    login_url = reverse("accounts:login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login_url})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    content = client.get(login_url).content.decode()
    assert "Log in" in content
    assert "Inloggen" not in content


def test_browser_language_does_not_switch_the_interface(client):
    # Dutch is the default even when the browser asks for English; English only when chosen.
    html = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "Inloggen" in html

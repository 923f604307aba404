"""The pages' own assets are found by the static-files machinery (served by runserver, collected for nginx)."""

from django.contrib.staticfiles import finders


def test_stylesheet_and_htmx_are_found():
    assert finders.find("kansrijk/kansrijk.css")
    htmx = finders.find("kansrijk/vendor/htmx.min.js")
    assert htmx, "run `make assets` (npm ci) to vendor htmx"

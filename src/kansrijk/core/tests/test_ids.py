"""Ids from query strings and forms: plain ASCII numbers that fit the database, nothing else."""

import pytest

from kansrijk.core.ids import MAX_ID, parse_id


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", 1), ("0042", 42), ("999999999999999999", 999999999999999999),
    ("", None), ("²", None), ("٣", None), ("-1", None), ("1.0", None), (" 1", None), ("1\n", None),
    ("9" * 19, None), (None, None), (7, None),
])
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


def test_every_accepted_id_fits_a_64_bit_integer():
    assert parse_id("9" * 18) < MAX_ID

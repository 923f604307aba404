"""VUM contracts and files: the resolved schemas, the Dutch errors with their place, and reading files of every shape
(and of no shape at all) without anything but VumDocumentError escaping."""

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kansrijk.matching.vum import documents, schemas
from kansrijk.matching.vum.documents import VumDocumentError, read_document
from kansrijk.matching.vum.schemas import VACATURES, WERKZOEKENDEN, validate_item

SHARED = Path("/work/shared/standards/vum")


def messages(kind, item, prefix=""):
    return [str(problem) for problem in validate_item(kind, item, prefix)]


def test_the_repository_carries_the_contracts_and_their_licence():
    specs = Path(schemas.__file__).parent / "specs"
    assert (specs / "LICENCE.md").read_text(encoding="utf-8").startswith("# Licence")
    for contract in schemas.CONTRACTS.values():
        text = (specs / contract.filename).read_text(encoding="utf-8")
        assert f"version: {contract.version}" in text
        if SHARED.exists():
            assert text == (SHARED / contract.filename).read_text(encoding="utf-8")


def test_polymorphic_types_are_resolved_without_recursion():
    resolved = schemas.component_schemas(VACATURES)
    assert "anyOf" in resolved["Beroepsnaam"] and "oneOf" not in resolved["Beroepsnaam"]
    assert resolved["BeroepsnaamGecodeerd"]["properties"].keys() == {"codeBeroepsnaam", "omschrijvingBeroepsnaam"}
    assert "allOf" not in resolved["Straatadres"]
    for beroep in ({"codeBeroepsnaam": "123", "omschrijvingBeroepsnaam": "Kok"}, {"naamBeroepOngecodeerd": "Kok"}, {}):
        assert messages(VACATURES, {"beroep": beroep}) == []


def test_a_value_of_one_shape_reports_that_shapes_errors():
    assert messages(VACATURES, {"beroep": {"codeBeroepsnaam": 5}}, "vacatures[0]") == [
        "vacatures[0].beroep.codeBeroepsnaam: verwacht tekst, maar kreeg een geheel getal"]
    mixed = messages(WERKZOEKENDEN, {"idWerkzoekende": "x", "bemiddelingsberoep": [
        {"codeBeroepsnaam": "1", "naamBeroepOngecodeerd": "Kok"}]})
    assert mixed == ["bemiddelingsberoep[0]: past bij geen van de vormen: BeroepsnaamGecodeerd (codeBeroepsnaam, "
                     "omschrijvingBeroepsnaam) of BeroepsnaamOngecodeerd (naamBeroepOngecodeerd); gebruik de velden "
                     "van één vorm"]


@pytest.mark.parametrize("postcode, valid", [("4622AB", True), ("4622ab", True), ("4622 AB", False),
                                             ("0622AB", False), ("4622SA", False), ("4622sd", False)])
def test_the_postcode_pattern_is_case_insensitive_as_its_js_flag_says(postcode, valid):
    item = {"idWerkzoekende": "x", "mobiliteit": {"bemiddelingspostcode": postcode}}
    assert (messages(WERKZOEKENDEN, item) == []) is valid


@pytest.mark.parametrize("kind, item, expected", [
    (VACATURES, {"werktijden": {"aantalWerkurenPerWeekMinimaal": 120}},
     "vacatures[3].werktijden.aantalWerkurenPerWeekMinimaal: 120 is groter dan 99"),
    (VACATURES, {"werktijden": {"aantalWerkurenPerWeekMaximaal": -1}},
     "vacatures[3].werktijden.aantalWerkurenPerWeekMaximaal: -1 is kleiner dan 0"),
    (VACATURES, {"naamVacature": "x" * 121}, "vacatures[3].naamVacature: de tekst is 121 tekens lang; hoogstens 120 "
                                             "tekens toegestaan"),
    (VACATURES, {"codeWerkEnDenkniveauMinimaal": 4}, "vacatures[3].codeWerkEnDenkniveauMinimaal: verwacht tekst, "
                                                     "maar kreeg een geheel getal"),
    (VACATURES, {"codeWerkEnDenkniveauMinimaal": "8"}, 'vacatures[3].codeWerkEnDenkniveauMinimaal: "8" is geen '
                                                       'toegestane waarde; kies uit "0", "1", "2", "3", "4", "5", "6", '
                                                       '"7"'),
    (VACATURES, {"sluitingsDatumVacature": "31-12-2026"}, 'vacatures[3].sluitingsDatumVacature: "31-12-2026" is geen '
                                                          'geldige datum (verwacht JJJJ-MM-DD)'),
    (VACATURES, {"indicatieLdrRegistratie": 1.0}, "vacatures[3].indicatieLdrRegistratie: verwacht een geheel getal, "
                                                  "maar kreeg een kommagetal"),
    (VACATURES, {"rijbewijs": {"codeSoortRijbewijs": "B"}}, "vacatures[3].rijbewijs: verwacht een lijst, maar kreeg "
                                                            "een object"),
    (VACATURES, {"taalbeheersing": [{"codeTaal": "NL"}]}, 'vacatures[3].taalbeheersing[0].codeTaal: "NL": verwacht '
                                                          'drie kleine letters (ISO 639-3, bijvoorbeeld nld)'),
    (VACATURES, {"werkgever": {"webadres": [{"codeWebadres": 2**40}]}},
     "vacatures[3].werkgever.webadres[0].codeWebadres: 1099511627776 is te groot of te klein voor dit veld (int32)"),
    (VACATURES, "een vacature", 'vacatures[3]: verwacht een object, maar kreeg tekst'),
    (WERKZOEKENDEN, {"persoonlijkePresentatie": "Hallo"}, "vacatures[3].idWerkzoekende: verplicht veld ontbreekt"),
    (WERKZOEKENDEN, {"idWerkzoekende": "x", "telefoonnummer": ["123"]},
     'vacatures[3].telefoonnummer[0]: "123": verwacht een Nederlands telefoonnummer, bijvoorbeeld 0201234567 of '
     '+31612345678'),
])
def test_schema_errors_are_dutch_with_their_place(kind, item, expected):
    assert messages(kind, item, "vacatures[3]") == [expected]


def test_a_number_far_out_of_range_is_reported_once():
    assert messages(WERKZOEKENDEN, {"idWerkzoekende": "x", "mobiliteit": {"maximaleReistijd": 10**20}}) == [
        "mobiliteit.maximaleReistijd: 100000000000000000000 is groter dan 999"]


# --- Files ---------------------------------------------------------------------------------------------------------


def encode(value) -> bytes:
    return json.dumps(value).encode()


def test_a_file_holds_one_object_a_list_or_an_envelope():
    one = read_document(encode({"idVacature": "v1", "naamVacature": "Kok"}))
    assert (one.kind, one.items, one.place(0)) == (VACATURES, [{"idVacature": "v1", "naamVacature": "Kok"}], "")
    many = read_document(encode([{"idWerkzoekende": "a"}, {"idWerkzoekende": "b"}]))
    assert (many.kind, len(many.items), many.place(1)) == (WERKZOEKENDEN, 2, "[1]")
    envelope = read_document(encode({"standaard": "VUM", "vacatures": [{}, {}, {}, {}]}))
    assert (envelope.kind, len(envelope.items), envelope.place(3)) == (VACATURES, 4, "vacatures[3]")
    assert read_document(encode({"werkzoekenden": []})).items == []
    assert read_document("\ufeff[{\"idVacature\": \"x\"}]".encode()).kind == VACATURES  # a BOM is fine


def test_the_kind_is_detected_or_must_be_chosen():
    with pytest.raises(VumDocumentError, match="kies de soort"):
        read_document(encode([{"werktijden": {}}]))
    with pytest.raises(VumDocumentError, match="zowel werkzoekenden als vacatures"):
        read_document(encode([{"idWerkzoekende": "a"}, {"idVacature": "b"}]))
    with pytest.raises(VumDocumentError, match="zowel werkzoekenden als vacatures"):
        read_document(encode({"werkzoekenden": [], "vacatures": []}))
    assert read_document(encode([{"werktijden": {}}]), kind=VACATURES).kind == VACATURES
    with pytest.raises(VumDocumentError, match="bevat vacatures, maar gekozen is werkzoekenden"):
        read_document(encode({"vacatures": []}), kind=WERKZOEKENDEN)
    with pytest.raises(VumDocumentError, match="Onder 'vacatures' staat geen lijst"):
        read_document(encode({"vacatures": {"idVacature": "x"}}))


@pytest.mark.parametrize("data, expected", [
    (b"", "Het bestand is leeg."),
    (b"  \n ", "Het bestand is leeg."),
    (b"<xml/>", "geen geldige JSON: hier werd een waarde verwacht (regel 1, kolom 1)"),
    (b'{"vacatures": [}', "geen geldige JSON: hier werd een waarde verwacht (regel 1, kolom 16)"),
    (b'[{"idVacature": "x"}] extra', "na het einde van de JSON staat nog tekst"),
    ('[{"naamVacature": "Café"}]'.encode("latin-1"), "geen UTF-8-tekst"),
    ('[{"naamVacature": "x"}]'.encode("utf-16"), "UTF-16"),
    (b"[" + b"9" * 40 + b"]", "meer dan 30 cijfers"),
    (b"[NaN]", "NaN is geen getal dat JSON toestaat"),
    (b"[1e999]", "te groot"),
    (b"[" * 100_000 + b"]" * 100_000, "te diep genest"),
    (b"[" * 100 + b"]" * 100, "te diep genest"),
    (b'[{"naamVacature": "a\\u0000b"}]', "[0].naamVacature: de tekst bevat een ongeldig teken"),
    (b'[{"naamVacature": "\\ud800"}]', "ongeldig teken"),
    (b"42", "één losse waarde"),
])
def test_unreadable_files_give_one_clear_error(data, expected):
    with pytest.raises(VumDocumentError) as raised:
        read_document(data)
    assert expected in str(raised.value)


def test_a_file_too_large_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 10)
    with pytest.raises(VumDocumentError, match="groter dan"):
        read_document(encode([{"idVacature": "x"}]))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["idWerkzoekende", "idVacature", "vacatures", "werkzoekenden", "werktijden", "beroep",
                         "naamVacature", "mobiliteit", "x"]) | st.text(max_size=5), children, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=JSON, kind=st.sampled_from([None, VACATURES, WERKZOEKENDEN]))
def test_random_json_is_read_or_refused_with_the_documented_error_only(value, kind):
    try:
        document = read_document(json.dumps(value).encode(), kind=kind)
    except VumDocumentError as error:
        assert str(error)
        return
    for index, item in enumerate(document.items):
        for problem in validate_item(document.kind, item, document.place(index)):
            assert problem.place and problem.message


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=200))
def test_random_bytes_are_read_or_refused_with_the_documented_error_only(data):
    # Any other exception fails the test; the documented one is an answer, not a failure.
    with contextlib.suppress(VumDocumentError):
        read_document(data)

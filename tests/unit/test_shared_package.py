"""The shared domain package: errors, identity, cursors, catalogue rules."""

from __future__ import annotations

import pytest

from eptsp.dynamo import decode_cursor, encode_cursor
from eptsp.errors import Forbidden, NotFound, Unauthenticated, ValidationFailed
from eptsp.http import describe_validation_error
from eptsp.identity import caller_from_event


def test_errors_carry_status_code_and_indonesian_message():
    error = NotFound("Jenis izin 'x' tidak ditemukan.")
    assert error.status == 404
    assert error.to_body() == {"code": "TIDAK_DITEMUKAN", "message": "Jenis izin 'x' tidak ditemukan."}
    assert ValidationFailed("Salah.", field="nik").to_body()["field"] == "nik"


@pytest.mark.parametrize(
    ("error", "field", "words"),
    [
        ({"loc": ("body", "nik"), "type": "missing"}, "nik", "wajib diisi"),
        ({"loc": ("path", "izinId"), "type": "string_pattern_mismatch"}, "izinId", "formatnya tidak sesuai"),
        ({"loc": ("body",), "type": "json_invalid"}, "body", "bukan JSON"),
        (
            {"loc": ("body", "x"), "type": "value_error", "ctx": {"error": ValueError("NIK tidak valid")}},
            "x",
            "NIK tidak valid",
        ),
        ({"loc": ("query", "cursor"), "type": "something_new"}, "cursor", "tidak valid"),
    ],
)
def test_validation_errors_name_the_field_in_indonesian(error, field, words):
    name, message = describe_validation_error(error)
    assert name == field
    assert words in message


def event_with_claims(claims):
    return {"requestContext": {"authorizer": {"jwt": {"claims": claims}}}}


def test_caller_comes_from_verified_claims_only():
    caller = caller_from_event(
        event_with_claims({"sub": "u-1", "cognito:username": "6501014101900001", "cognito:groups": "[pemohon bogus]"})
    )
    assert caller.username == "6501014101900001"
    assert caller.roles == {"pemohon"}
    assert not caller.is_officer
    with pytest.raises(Forbidden):
        caller.require_role("admin")
    with pytest.raises(Unauthenticated):
        caller_from_event({"requestContext": {}})


def test_cursor_round_trip_and_garbage_is_a_validation_error():
    key = {"pk": "PERMOHONAN#1", "createdAt": "2026-11-28T00:00:00Z"}
    assert decode_cursor(encode_cursor(key)) == key
    assert encode_cursor(None) is None
    for garbage in ("%%%", "bm90LWpzb24", "WzEsMl0"):  # not base64, not JSON, not an object
        with pytest.raises(ValidationFailed):
            decode_cursor(garbage)

"""The shared domain package: errors, identity, cursors, catalogue rules."""

from __future__ import annotations

import pytest

from eptsp.dynamo import CursorShape, encode_cursor
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
        event_with_claims(
            {
                "sub": "u-1",
                "cognito:username": "6501014101900001",
                "cognito:groups": "[pemohon bogus]",
                "token_use": "access",
            }
        )
    )
    assert caller.username == "6501014101900001"
    assert caller.roles == {"pemohon"}
    assert not caller.is_officer
    with pytest.raises(Forbidden):
        caller.require_role("admin")
    with pytest.raises(Unauthenticated):
        caller_from_event({"requestContext": {}})


@pytest.mark.parametrize(
    ("groups", "roles"),
    [
        (None, {"pemohon"}),  # an applicant registered since applicants are in no group
        ("[pemohon]", {"pemohon"}),  # one registered before, in the pemohon group
        ("[bogus]", {"pemohon"}),
        ("[verifikator]", {"verifikator"}),
        (["kepala", "admin"], {"kepala", "admin"}),
        ("[pemohon teknis]", {"teknis"}),
    ],
)
def test_a_token_with_no_officer_role_group_is_an_applicants(groups, roles):
    # API Gateway lets only the officers' pool on officer routes, and only officers are in groups
    claims = {"sub": "u-1", "cognito:username": "u", "token_use": "access"}
    if groups is not None:
        claims["cognito:groups"] = groups
    caller = caller_from_event(event_with_claims(claims))
    assert caller.roles == roles
    assert caller.is_officer == ("pemohon" not in roles)


def test_cursor_round_trip_and_garbage_is_a_validation_error():
    shape = CursorShape(types={"pk": str, "ownerId": str, "createdAt": str}, owner="ownerId", pk_prefix="PERMOHONAN#")
    key = {"pk": "PERMOHONAN#1", "ownerId": "u-1", "createdAt": "2026-11-28T00:00:00Z"}
    assert shape.decode(encode_cursor(key), "u-1") == key
    assert shape.decode(None, "u-1") is None
    assert encode_cursor(None) is None
    forged = [
        "%%%",  # not base64
        "bm90LWpzb24",  # not JSON
        "WzEsMl0",  # not an object
        "eyJhIjoxfQ",  # {"a": 1}
        encode_cursor({**key, "ownerId": "u-2"}),  # someone else's partition
        encode_cursor({**key, "pk": "FILE#x"}),  # another table's key
        encode_cursor({**key, "pk": True}),
        encode_cursor({**key, "extra": "x"}),
        encode_cursor({"pk": "PERMOHONAN#1"}),
        "A" * 5000,
    ]
    for garbage in forged:
        with pytest.raises(ValidationFailed):
            shape.decode(garbage, "u-1")

"""One-time codes (reset PIN, activation, contact confirmation) against an in-memory store:
hashed, single use, 5 tries, one a minute."""

from __future__ import annotations

import pytest

from eptsp.accounts.codes import MAX_ATTEMPTS, OneTimeCode, OneTimeCodes, Purpose
from eptsp.errors import DomainError


class MemoryStore:
    """The repository's code methods, kept in a dict; ``clock`` stands in for time."""

    def __init__(self) -> None:
        self.codes: dict[tuple[Purpose, str], tuple[OneTimeCode, int]] = {}
        self.clock = 1_000_000

    def put_code(self, code: OneTimeCode, ttl: int, min_interval: int) -> bool:
        earlier = self.codes.get((code.purpose, code.username))
        if earlier and earlier[1] >= self.clock - min_interval:
            return False
        self.codes[(code.purpose, code.username)] = (code, self.clock)
        return True

    def get_code(self, purpose: Purpose, username: str) -> OneTimeCode | None:
        found = self.codes.get((purpose, username))
        return found[0] if found else None

    def count_code_attempt(self, purpose: Purpose, username: str) -> int:
        code, issued = self.codes[(purpose, username)]
        tried = OneTimeCode(**{**code.__dict__, "attempts": code.attempts + 1})
        self.codes[(purpose, username)] = (tried, issued)
        return tried.attempts

    def use_code(self, purpose: Purpose, username: str, code_hash: str) -> bool:
        found = self.codes.get((purpose, username))
        if not found or found[0].code_hash != code_hash:
            return False
        del self.codes[(purpose, username)]
        return True


def other_than(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


def test_a_code_is_six_digits_stored_only_as_a_hash_and_works_once(store):
    codes = OneTimeCodes(store, Purpose.ACTIVATION)
    code = codes.issue("6571015203950001", pending={"email": "baru@example.com"})
    assert code and len(code) == 6 and code.isdigit()
    stored = store.get_code(Purpose.ACTIVATION, "6571015203950001")
    assert code not in (stored.code_hash, stored.salt)
    assert codes.spend("6571015203950001", code).pending == {"email": "baru@example.com"}
    with pytest.raises(DomainError) as again:
        codes.spend("6571015203950001", code)
    assert again.value.code == "KODE_TIDAK_VALID" and again.value.field == "code"


def test_wrong_codes_count_down_and_the_fifth_spends_it(store):
    pins = OneTimeCodes(store, Purpose.RESET_PIN)
    pin = pins.issue("u")
    for left in range(MAX_ATTEMPTS - 1, 0, -1):
        with pytest.raises(DomainError) as wrong:
            pins.spend("u", other_than(pin))
        assert wrong.value.code == "PIN_SALAH" and f"Sisa percobaan: {left} kali" in wrong.value.message
    for attempt in (other_than(pin), pin):
        with pytest.raises(DomainError) as locked:
            pins.spend("u", attempt)
        assert locked.value.code == "PIN_TERKUNCI" and locked.value.status == 429


def test_one_code_a_minute_and_a_new_one_replaces_the_old(store):
    codes = OneTimeCodes(store, Purpose.CONTACT)
    assert codes.issue("u", pending={"phone": "+6281234500001"})
    first_hash = store.get_code(Purpose.CONTACT, "u").code_hash
    assert codes.issue("u") is None
    assert store.get_code(Purpose.CONTACT, "u").code_hash == first_hash  # the first stays
    store.clock += 61
    second = codes.issue("u", pending={"phone": "+6281234500002"})
    assert second is not None
    assert store.get_code(Purpose.CONTACT, "u").code_hash != first_hash  # and is replaced
    assert codes.spend("u", second).pending == {"phone": "+6281234500002"}


def test_no_account_or_another_purpose_is_an_invalid_code(store):
    code = OneTimeCodes(store, Purpose.ACTIVATION).issue("u")
    for purpose, username in ((Purpose.ACTIVATION, None), (Purpose.RESET_PIN, "u")):
        with pytest.raises(DomainError) as invalid:
            OneTimeCodes(store, purpose).spend(username, code)
        assert invalid.value.code in ("KODE_TIDAK_VALID", "PIN_TIDAK_VALID")

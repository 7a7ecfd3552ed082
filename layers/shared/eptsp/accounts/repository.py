"""Accounts table access.

Items (pk / sk), every one written down with why it exists:
- ``USER#<username>`` / ``PROFILE``: the profile (username is the NIK, or an officer's NIP),
  roles, ``status`` (``menunggu_aktivasi`` until the activation code is typed, then
  ``aktif``; no status is ``aktif``) and ``sessionsValidAfter`` (tokens issued before it
  are refused; a pending account's is its expiry, so none of its tokens work).
- ``EMAIL#<email>``, ``PHONE#<+62...>``, ``NPWP#<digits>``, ``NIB#<digits>`` / ``CLAIM``:
  who holds each unique value; written in one transaction with the profile so two accounts
  can never share one. They also resolve e-mail login and Lupa Password.
  A pending registration's profile and claims carry ``expiresAt`` (24 hours): after it
  they count as free (a new registration overwrites them), and TTL removes them.
- ``CAPTCHA#<id>`` / ``CAPTCHA``: the security code's answer; deleted on first use; TTL 5 min.
- ``PIN#<username>`` / ``PIN``, ``ACTIVATION#<username>`` / ``ACTIVATION``,
  ``CONTACT#<username>`` / ``CONTACT``: a one-time code's salted hash and attempts (the
  contact code also the e-mail/phone it confirms, ``pending``); TTL 15 min.
- ``LOGIN#<username or identifier>`` / ``FAILURES``: failed logins and the lock; TTL.
- ``SESSION#<origin_jti>`` / ``REVOKED``: a signed-out session; TTL = refresh token life.
``expiresAt`` (epoch seconds) is the table's TTL attribute; reads check it too, because
DynamoDB removes expired items only eventually.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from eptsp.accounts import captcha
from eptsp.accounts.codes import OneTimeCode, Purpose
from eptsp.dynamo import ItemName, batch_get, item_name
from eptsp.errors import Conflict

if TYPE_CHECKING:
    from eptsp.sessions import Prefetched

PROFILE, CLAIM = "PROFILE", "CLAIM"
ACTIVE, PENDING = "aktif", "menunggu_aktivasi"
UNIQUE_FIELDS = {"email": "EMAIL", "phone": "PHONE", "npwp": "NPWP", "nib": "NIB"}
TAKEN_MESSAGES = {
    "nik": "NIK sudah terdaftar. Silakan masuk atau gunakan Lupa Password.",
    "username": "NIP sudah terdaftar.",
    "email": "Email sudah dipakai akun lain.",
    "phone": "Nomor HP sudah dipakai akun lain.",
    "npwp": "NPWP sudah dipakai akun lain.",
    "nib": "NIB sudah dipakai akun lain.",
}


def now() -> int:
    return int(time.time())


def _live(item: dict[str, Any] | None) -> dict[str, Any] | None:
    if item and "expiresAt" in item and int(item["expiresAt"]) <= now():
        return None
    return item


def profile_key(username: str) -> dict[str, str]:
    return {"pk": f"USER#{username}", "sk": PROFILE}


class AccountsRepository:
    def __init__(self, table: Any, prefetched: Prefetched | None = None):
        self._table = table
        self._client = table.meta.client
        # A profile the request's session check read along (``eptsp.sessions``).
        self._prefetched = prefetched

    # ------------------------------------------------------------- profiles and claims
    def get_profile(self, username: str) -> dict[str, Any] | None:
        """The profile, or None (also for a pending registration past its 24 hours)."""
        key = profile_key(username)
        read, item = self._prefetched.take(self._table.name, key) if self._prefetched else (False, None)
        if not read:
            item = self._table.get_item(Key=key).get("Item")
        return _live(item)

    def owner_of(self, field: str, value: str) -> str | None:
        item = _live(self._table.get_item(Key={"pk": f"{UNIQUE_FIELDS[field]}#{value}", "sk": CLAIM}).get("Item"))
        return item["username"] if item else None

    def _put_if_free(self, item: dict[str, Any]) -> dict[str, Any]:
        # An expired pending registration's record is free: TTL removes it only eventually.
        return {
            "Put": {
                "TableName": self._table.name,
                "Item": item,
                "ConditionExpression": "attribute_not_exists(pk) OR expiresAt <= :now",
                "ExpressionAttributeValues": {":now": now()},
            }
        }

    def _claim_put(self, field: str, value: str, username: str, expires_at: int | None = None) -> dict[str, Any]:
        item = {"pk": f"{UNIQUE_FIELDS[field]}#{value}", "sk": CLAIM, "username": username}
        if expires_at:
            item["expiresAt"] = expires_at
        return self._put_if_free(item)

    def _claim_delete(self, field: str, value: str, username: str) -> dict[str, Any]:
        return {
            "Delete": {
                "TableName": self._table.name,
                "Key": {"pk": f"{UNIQUE_FIELDS[field]}#{value}", "sk": CLAIM},
                "ConditionExpression": "username = :u",
                "ExpressionAttributeValues": {":u": username},
            }
        }

    def _transact(self, actions: list[dict[str, Any]], fields: list[str]) -> None:
        """Run a transaction; a failed condition becomes 409 naming the field that is taken
        (or the security code's refusal, for the ``captcha`` spent in it)."""
        try:
            self._table.meta.client.transact_write_items(TransactItems=actions)
        except self._client.exceptions.TransactionCanceledException as error:
            reasons = error.response.get("CancellationReasons", [])
            for field, reason in zip(fields, reasons, strict=False):
                if reason.get("Code") == "ConditionalCheckFailed":
                    if field == "captcha":
                        raise captcha.CaptchaWrong(field="captchaAnswer") from None
                    raise Conflict(TAKEN_MESSAGES[field], field=field, code="SUDAH_TERDAFTAR") from None
            raise

    def _captcha_spend(self, captcha_id: str, given: str) -> dict[str, Any]:
        """The security code's deletion, on condition that ``given`` is its live answer."""
        return {
            "Delete": {
                "TableName": self._table.name,
                "Key": {"pk": f"CAPTCHA#{captcha_id}", "sk": "CAPTCHA"},
                "ConditionExpression": "answer = :given AND expiresAt > :now",
                "ExpressionAttributeValues": {":given": captcha.normalized(given), ":now": now()},
            }
        }

    def _code_item(self, code: OneTimeCode, ttl: int) -> dict[str, Any]:
        item = {
            **self._code_key(code.purpose, code.username),
            "codeHash": code.code_hash,
            "salt": code.salt,
            "attempts": 0,
            "issuedAt": now(),
            "expiresAt": now() + ttl,
        }
        if code.pending:
            item["pending"] = code.pending
        return item

    def create_profile(
        self,
        profile: dict[str, Any],
        key_field: str = "nik",
        expires_at: int | None = None,
        *,
        spend_captcha: tuple[str, str] | None = None,
    ) -> None:
        """The profile and a claim on each unique value, all or nothing; with ``expires_at``
        the account is pending and everything it holds is freed at that time unless
        activated first. ``spend_captcha`` (id, answer typed): the security code is used up
        in the same transaction, and used up too when the transaction fails (right or
        wrong, a code works once)."""
        username = profile["username"]
        item = {"pk": f"USER#{username}", "sk": PROFILE, **profile, "status": PENDING if expires_at else ACTIVE}
        if expires_at:
            item.update(expiresAt=expires_at, sessionsValidAfter=expires_at)
        actions, fields = [], []
        if spend_captcha:
            # First: a wrong code is what the answer says, whatever else is taken.
            actions.append(self._captcha_spend(*spend_captcha))
            fields.append("captcha")
        actions.append(self._put_if_free(item))
        fields.append(key_field)
        for field in UNIQUE_FIELDS:
            if profile.get(field):
                actions.append(self._claim_put(field, profile[field], username, expires_at))
                fields.append(field)
        try:
            self._transact(actions, fields)
        except Exception:
            if spend_captcha:
                self.take_captcha(spend_captcha[0])
            raise

    def activate(self, profile: dict[str, Any], sessions_valid_after: int) -> bool:
        """Make a pending account permanent: the profile and its claims lose their expiry.
        False when it expired (or was activated) in the meantime."""
        username = profile["username"]
        actions: list[dict[str, Any]] = [
            {
                "Update": {
                    "TableName": self._table.name,
                    "Key": {"pk": f"USER#{username}", "sk": PROFILE},
                    "UpdateExpression": "SET #status = :active, sessionsValidAfter = :t REMOVE expiresAt",
                    "ConditionExpression": "#status = :pending AND expiresAt > :t",
                    "ExpressionAttributeNames": {"#status": "status"},
                    "ExpressionAttributeValues": {":active": ACTIVE, ":pending": PENDING, ":t": sessions_valid_after},
                }
            }
        ]
        for field, prefix in UNIQUE_FIELDS.items():
            if profile.get(field):
                actions.append(
                    {
                        "Update": {
                            "TableName": self._table.name,
                            "Key": {"pk": f"{prefix}#{profile[field]}", "sk": CLAIM},
                            "UpdateExpression": "REMOVE expiresAt",
                            "ConditionExpression": "username = :u",
                            "ExpressionAttributeValues": {":u": username},
                        }
                    }
                )
        try:
            self._client.transact_write_items(TransactItems=actions)
        except self._client.exceptions.TransactionCanceledException:
            return False
        return True

    def delete_profile(self, profile: dict[str, Any]) -> None:
        """Undo create_profile (used when the identity provider refuses the account)."""
        with self._table.batch_writer() as batch:
            batch.delete_item(Key={"pk": f"USER#{profile['username']}", "sk": PROFILE})
            for field, prefix in UNIQUE_FIELDS.items():
                if profile.get(field):
                    batch.delete_item(Key={"pk": f"{prefix}#{profile[field]}", "sk": CLAIM})

    def update_profile(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Save changed fields; move claims of changed unique values, guarded against a race."""
        username = old["username"]
        names = {f"#{k}": k for k in new}
        values = {f":{k}": v for k, v in new.items() if v is not None}
        sets = [f"#{k} = :{k}" for k, v in new.items() if v is not None]
        removes = [f"#{k}" for k, v in new.items() if v is None]
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        actions: list[dict[str, Any]] = [
            {
                "Update": {
                    "TableName": self._table.name,
                    "Key": {"pk": f"USER#{username}", "sk": PROFILE},
                    "UpdateExpression": expression,
                    "ExpressionAttributeNames": names,
                    "ExpressionAttributeValues": values,
                    "ConditionExpression": "attribute_exists(pk)",
                }
            }
        ]
        fields = ["username"]
        for field in UNIQUE_FIELDS:
            if field in new and new[field] != old.get(field):
                if new[field]:
                    actions.append(self._claim_put(field, new[field], username))
                    fields.append(field)
                if old.get(field):
                    actions.append(self._claim_delete(field, old[field], username))
                    fields.append(field)
        self._transact(actions, fields)

    def set_sessions_valid_after(self, username: str, epoch: int) -> None:
        self._table.update_item(
            Key={"pk": f"USER#{username}", "sk": PROFILE},
            UpdateExpression="SET sessionsValidAfter = :t",
            ExpressionAttributeValues={":t": epoch},
        )

    # ------------------------------------------------------------- captcha
    def put_captcha(self, captcha_id: str, answer: str, ttl: int) -> None:
        self._table.put_item(
            Item={"pk": f"CAPTCHA#{captcha_id}", "sk": "CAPTCHA", "answer": answer, "expiresAt": now() + ttl}
        )

    def take_captcha(self, captcha_id: str) -> str | None:
        """Delete the captcha and return its answer: a code works once, right or wrong."""
        item = self._table.delete_item(
            Key={"pk": f"CAPTCHA#{captcha_id}", "sk": "CAPTCHA"}, ReturnValues="ALL_OLD"
        ).get("Attributes")
        item = _live(item)
        return item["answer"] if item else None

    def peek_captcha(self, captcha_id: str) -> str | None:
        item = _live(self._table.get_item(Key={"pk": f"CAPTCHA#{captcha_id}", "sk": "CAPTCHA"}).get("Item"))
        return item["answer"] if item else None

    # ------------------------------------------------------------- login failures
    def login_failures(self, key: str) -> dict[str, Any] | None:
        return _live(self._table.get_item(Key={"pk": f"LOGIN#{key}", "sk": "FAILURES"}).get("Item"))

    def login_state(self, key: str, username: str | None) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """(the failures item of ``key``, even past its expiry, so that a login clears it;
        ``username``'s profile) in one round trip."""
        failures = (self._table.name, {"pk": f"LOGIN#{key}", "sk": "FAILURES"})
        if username is None:
            return self._table.get_item(Key=failures[1]).get("Item"), None
        profile = (self._table.name, profile_key(username))
        found = batch_get(self._client, [failures, profile])
        return found[item_name(*failures)], _live(found[item_name(*profile)])

    def record_login_failure(self, key: str, window: int) -> int:
        """Count one failure; the count lives ``window`` seconds after the last one."""
        answer = self._table.update_item(
            Key={"pk": f"LOGIN#{key}", "sk": "FAILURES"},
            UpdateExpression="SET expiresAt = :e ADD failures :one",
            ExpressionAttributeValues={":e": now() + window, ":one": 1},
            ReturnValues="ALL_NEW",
        )
        return int(answer["Attributes"]["failures"])

    def lock_login(self, key: str, until: int) -> None:
        self._table.update_item(
            Key={"pk": f"LOGIN#{key}", "sk": "FAILURES"},
            UpdateExpression="SET lockedUntil = :u, expiresAt = :u",
            ExpressionAttributeValues={":u": until},
        )

    def clear_login_failures(self, key: str) -> None:
        self._table.delete_item(Key={"pk": f"LOGIN#{key}", "sk": "FAILURES"})

    # ------------------------------------------------------------- one-time codes
    @staticmethod
    def _code_key(purpose: Purpose, username: str) -> dict[str, str]:
        return {"pk": f"{purpose.value}#{username}", "sk": purpose.value}

    def put_code(self, code: OneTimeCode, ttl: int, min_interval: int) -> bool:
        """Store a new code unless one was issued less than ``min_interval`` seconds ago."""
        try:
            self._table.put_item(
                Item=self._code_item(code, ttl),
                ConditionExpression="attribute_not_exists(pk) OR issuedAt < :recent",
                ExpressionAttributeValues={":recent": now() - min_interval},
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def get_code(self, purpose: Purpose, username: str) -> OneTimeCode | None:
        item = _live(self._table.get_item(Key=self._code_key(purpose, username)).get("Item"))
        if not item:
            return None
        return OneTimeCode(
            username=username,
            purpose=purpose,
            code_hash=item["codeHash"],
            salt=item["salt"],
            attempts=int(item["attempts"]),
            pending=dict(item.get("pending") or {}),
        )

    def count_code_attempt(self, purpose: Purpose, username: str) -> int:
        answer = self._table.update_item(
            Key=self._code_key(purpose, username),
            UpdateExpression="ADD attempts :one",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":one": 1},
            ReturnValues="ALL_NEW",
        )
        return int(answer["Attributes"]["attempts"])

    def use_code(self, purpose: Purpose, username: str, code_hash: str) -> bool:
        """Delete the code if it is still the one checked: a code works once."""
        try:
            self._table.delete_item(
                Key=self._code_key(purpose, username),
                ConditionExpression="codeHash = :h",
                ExpressionAttributeValues={":h": code_hash},
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    # ------------------------------------------------------------- texts per phone
    def take_sms(self, phone: str, day: str, limit: int) -> bool:
        """Count one text to ``phone`` on ``day`` (a WITA date) unless ``limit`` went already."""
        try:
            self._table.update_item(
                Key={"pk": f"SMS#{phone}", "sk": day},
                UpdateExpression="SET expiresAt = if_not_exists(expiresAt, :expires) ADD sent :one",
                ConditionExpression="attribute_not_exists(sent) OR sent < :limit",
                ExpressionAttributeValues={":one": 1, ":limit": limit, ":expires": now() + 2 * 86400},
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    # ------------------------------------------------------------- sessions
    def revoke_session(self, origin_jti: str, until: int) -> None:
        self._table.put_item(Item={"pk": f"SESSION#{origin_jti}", "sk": "REVOKED", "expiresAt": until})

    def session_state(self, username: str, origin_jti: str) -> tuple[bool, int]:
        """(revoked?, sessionsValidAfter) in one round trip."""
        revoked, valid_after, _ = self.session_state_with(username, origin_jti, [])
        return revoked, valid_after

    def session_state_with(
        self, username: str, origin_jti: str, extra: list[tuple[str, dict[str, Any]]]
    ) -> tuple[bool, int, dict[ItemName, dict[str, Any] | None]]:
        """(revoked?, sessionsValidAfter, the ``extra`` items by ``item_name``) in one round
        trip: the session check's BatchGetItem also reads what the request reads first."""
        keys = [(self._table.name, profile_key(username))]
        if origin_jti:
            keys.append((self._table.name, {"pk": f"SESSION#{origin_jti}", "sk": "REVOKED"}))
        # Only the attributes the check needs, unless the request reads this table's items whole.
        whole = any(table == self._table.name for table, _ in extra)
        projection = {} if whole else {self._table.name: "pk, sk, sessionsValidAfter, expiresAt"}
        # Strongly consistent: the version an applicant has just saved is the one the route reads.
        found = batch_get(self._client, [*keys, *extra], projection, consistent={table for table, _ in extra})
        session = found.get(item_name(*keys[1])) if origin_jti else None
        valid_after = int((found.get(item_name(*keys[0])) or {}).get("sessionsValidAfter", 0))
        return _live(session) is not None, valid_after, {item_name(t, k): found[item_name(t, k)] for t, k in extra}

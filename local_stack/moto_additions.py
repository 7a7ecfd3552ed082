"""Cognito's RevokeToken, which moto does not implement.

The auth function revokes the refresh token at logout, as it must in AWS. Without this,
moto answers 500 and every local logout prints a traceback; with it, a revoked refresh
token stops working locally too.
"""

from __future__ import annotations

import json


def add_revoke_token() -> None:
    from moto.cognitoidp.responses import CognitoIdpResponse

    if hasattr(CognitoIdpResponse, "revoke_token"):
        return

    def revoke_token(self: CognitoIdpResponse) -> str:
        token = self.parameters.get("Token")
        for pool in self.backend.user_pools.values():
            if token in pool.refresh_tokens:
                pool.refresh_tokens[token] = None  # moto treats None as revoked
        return json.dumps({})

    CognitoIdpResponse.revoke_token = revoke_token


# moto puts this key id in the header of every token it makes (jwt.encode in CognitoIdpUserPool).
MOTO_KEY_ID = "dummy"
_signing: dict[str, object] = {}


def sign_tokens_with_a_fresh_key() -> None:
    """Make the local user pools sign with a key pair made now, not the one bundled in moto.

    Anyone can read moto's private key and sign a token with ``cognito:groups: ["admin"]``;
    with a key made at start, such a token fails the authorizer's signature check, as in AWS.
    Both moto's token generation and its ``/.well-known/jwks.json`` use the new key.
    moto's pools live in the process, shared by every stack it runs, so the key is made
    once per process: a second stack (a test's own) must not invalidate the first one's
    tokens behind its authorizer's cached keys.
    """
    from joserfc import jwk
    from moto.cognitoidp.models import CognitoIdpUserPool
    from moto.cognitoidp.responses import CognitoIdpJsonWebKeyResponse

    if "key" in _signing:
        return
    key = jwk.RSAKey.generate_key(2048, parameters={"kid": MOTO_KEY_ID, "alg": "RS256", "use": "sig"}, private=True)
    _signing["key"] = key
    CognitoIdpJsonWebKeyResponse.json_web_key = json.dumps({"keys": [key.as_dict(private=False)]}).encode()
    # Every pool, old or new, reads the current key; moto's own assignment in __init__ is ignored.
    CognitoIdpUserPool.json_web_key = property(lambda _pool: _signing["key"], lambda _pool, _bundled: None)


def create_kms_keys_as_declared() -> None:
    """Make moto's CloudFormation honour a key's ``KeySpec`` and ``KeyUsage``.

    moto creates every ``AWS::KMS::Key`` as a symmetric encryption key; the permit signing
    key is ``ECC_NIST_P256`` for ``SIGN_VERIFY``, and moto signs and verifies with such a
    key locally once it is created as declared.
    """
    from moto.kms.models import Key, kms_backends

    if getattr(Key, "_created_as_declared", False):
        return

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        policy = properties.get("KeyPolicy")
        key = kms_backends[account_id][region_name].create_key(
            policy=json.dumps(policy) if isinstance(policy, dict) else policy,
            key_usage=properties.get("KeyUsage", "ENCRYPT_DECRYPT"),
            key_spec=properties.get("KeySpec", "SYMMETRIC_DEFAULT"),
            description=properties.get("Description"),
            tags=properties.get("Tags", []),
        )
        key.key_rotation_status = properties.get("EnableKeyRotation", False)
        key.enabled = properties.get("Enabled", True)
        return key

    Key.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)
    Key._created_as_declared = True


def serialize_dynamodb_requests() -> None:
    """One DynamoDB request at a time, as DynamoDB's own isolation makes them appear.

    moto's tables are plain dicts: a transaction checking its conditions while another
    request writes can fail with "dictionary changed size during iteration" (a 500 that
    DynamoDB never gives) or see a half-applied transaction. Concurrent callers (the
    50 concurrent permit issuances) need each request, and each transaction, to be atomic.
    """
    import threading

    from moto.dynamodb.responses import DynamoHandler

    if getattr(DynamoHandler, "_serialized", False):
        return
    lock = threading.RLock()
    call_action = DynamoHandler.call_action

    def serialized(self: DynamoHandler):
        with lock:
            return call_action(self)

    DynamoHandler.call_action = serialized
    DynamoHandler._serialized = True
    _roll_back_transactions_item_by_item()


def _roll_back_transactions_item_by_item() -> None:
    """Undo a cancelled transaction by restoring the items it names, not whole tables.

    moto deep-copies every table a transaction touches before it starts, so a transaction's
    cost grows with the table (seconds once a test session has written thousands of items,
    enough for a concurrent caller to time out). DynamoDB requests run one at a time here
    (see above), so keeping a copy of just the named items is as safe and costs the same at
    any table size.
    """
    import copy

    import moto.dynamodb.models as moto_models
    from moto.dynamodb.models import DynamoDBBackend, Table
    from moto.dynamodb.models.dynamo_type import DynamoType

    class _TablesAreNotCopied:
        @staticmethod
        def deepcopy(value, memo=None):
            return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    moto_models.copy = _TablesAreNotCopied
    transact_write_items = DynamoDBBackend.transact_write_items

    def slot(table: Table, op: dict) -> tuple | None:
        key = op.get("Key") or op.get("Item") or {}
        try:
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        except KeyError:
            return None  # moto reports the malformed operation itself
        return hash_value, range_value

    def restore(table: Table, hash_value, range_value, item) -> None:
        if item is None:
            table.delete_item(hash_value, range_value)
        elif range_value is None:
            table.items[hash_value] = item
        else:
            table.items[hash_value][range_value] = item

    def with_item_rollback(self: DynamoDBBackend, transact_items: list[dict]) -> None:
        saved = []
        for entry in transact_items:
            _, op = next(iter(entry.items()))
            table = self.tables.get(op.get("TableName", ""))
            named = slot(table, op) if table is not None else None
            if named is not None:
                saved.append((table, *named, copy.deepcopy(table.get_item(*named))))
        try:
            transact_write_items(self, transact_items)
        except Exception:
            for table, hash_value, range_value, item in reversed(saved):
                restore(table, hash_value, range_value, item)
            raise

    DynamoDBBackend.transact_write_items = with_item_rollback

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

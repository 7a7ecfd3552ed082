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
    """
    from joserfc import jwk
    from moto.cognitoidp.models import CognitoIdpUserPool
    from moto.cognitoidp.responses import CognitoIdpJsonWebKeyResponse

    key = jwk.RSAKey.generate_key(2048, parameters={"kid": MOTO_KEY_ID, "alg": "RS256", "use": "sig"}, private=True)
    _signing["key"] = key
    CognitoIdpJsonWebKeyResponse.json_web_key = json.dumps({"keys": [key.as_dict(private=False)]}).encode()
    # Every pool, old or new, reads the current key; moto's own assignment in __init__ is ignored.
    CognitoIdpUserPool.json_web_key = property(lambda _pool: _signing["key"], lambda _pool, _bundled: None)

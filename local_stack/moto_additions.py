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

"""App-client settings and MFA rules that Cognito enforces and moto ignores, enforced on moto too.

- ``ExplicitAuthFlows``: Cognito refuses a sign-in flow the app client does not allow
  (``USER_PASSWORD_AUTH flow not enabled for this client``); moto lets every flow through,
  so locally anyone holding the client id could sign in around the security code.
- ``WriteAttributes``: Cognito refuses ``UpdateUserAttributes`` (the user's own access
  token) for an attribute the client may not write; moto writes anything.
- ``MfaConfiguration: ON``: Cognito answers a right password with ``MFA_SETUP`` (no
  authenticator app yet, or it was turned off by ``AdminSetUserMFAPreference``) or
  ``SOFTWARE_TOKEN_MFA`` (one is set up); moto's admin flow hands out tokens. Cognito also
  ends ``MFA_SETUP`` only after ``VerifySoftwareToken``, and answers a challenge only for
  the user its session belongs to; moto does neither. (moto checks the TOTP codes
  themselves when ``MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP`` is set, which the local stack
  does; every user's secret is moto's one constant.)

Without these the local stack would pass tests that the cloud fails, and the reverse.
"""

from __future__ import annotations

from typing import Any

# The flow a call asks for -> the ExplicitAuthFlows entries (current and legacy names) that allow it.
_ALLOWED_BY = {
    "USER_PASSWORD_AUTH": ("ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"),
    "ADMIN_USER_PASSWORD_AUTH": ("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"),
    "ADMIN_NO_SRP_AUTH": ("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"),
    "USER_SRP_AUTH": ("ALLOW_USER_SRP_AUTH",),
    "CUSTOM_AUTH": ("ALLOW_CUSTOM_AUTH", "CUSTOM_AUTH_FLOW_ONLY"),
}
# What Cognito allows when a client names no flows.
_DEFAULT_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")


def _client(backend: Any, client_id: str) -> Any | None:
    for pool in backend.user_pools.values():
        if client_id in pool.clients:
            return pool.clients[client_id]
    return None


def _check_flow(backend: Any, client_id: str, auth_flow: str, message: str) -> None:
    from moto.cognitoidp.exceptions import InvalidParameterException

    client = _client(backend, client_id)
    if client is None or auth_flow not in _ALLOWED_BY:
        return  # moto's own checks answer unknown clients and refresh flows
    allowed = client.extended_config.get("ExplicitAuthFlows") or _DEFAULT_FLOWS
    if not set(_ALLOWED_BY[auth_flow]) & set(allowed):
        raise InvalidParameterException(message)


def _check_writable(backend: Any, access_token: str, attributes: list[dict[str, str]]) -> None:
    from moto.cognitoidp.exceptions import NotAuthorizedError

    for pool in backend.user_pools.values():
        if access_token in pool.access_tokens:
            client_id, _ = pool.access_tokens[access_token]
            client = pool.clients.get(client_id)
            writable = (client.extended_config.get("WriteAttributes") if client else None) or None
            for attribute in attributes:
                name = attribute["Name"]
                allowed = name in writable if writable is not None else not name.startswith("custom:")
                if not allowed:
                    raise NotAuthorizedError("A client attempted to write unauthorized attribute")
            return


def _mfa_challenge(backend: Any, user_pool_id: str, username: str) -> dict[str, Any]:
    """What Cognito answers a right password in a pool that requires MFA."""
    import uuid

    pool = backend.user_pools[user_pool_id]
    user = backend.admin_get_user(user_pool_id, username)
    session = str(uuid.uuid4())
    backend.sessions[session] = (user.username, pool)
    if user.software_token_mfa_enabled:
        return {"ChallengeName": "SOFTWARE_TOKEN_MFA", "ChallengeParameters": {}, "Session": session}
    user.token_verified = False  # a new app: its secret must be verified again
    return {
        "ChallengeName": "MFA_SETUP",
        "ChallengeParameters": {"MFAS_CAN_SETUP": '["SOFTWARE_TOKEN_MFA"]'},
        "Session": session,
    }


def _check_challenge_answer(backend: Any, session: str, challenge_name: str, responses: dict[str, str]) -> None:
    from moto.cognitoidp.exceptions import NotAuthorizedError

    if session not in backend.sessions:
        raise NotAuthorizedError("Invalid session for the user, session is expired.")
    username, pool = backend.sessions[session]
    given = responses.get("USERNAME", "")
    if given.lower() != username.lower():
        raise NotAuthorizedError("Invalid session for the user.")
    if challenge_name == "MFA_SETUP" and not backend.admin_get_user(pool.id, username).token_verified:
        raise NotAuthorizedError("Invalid session for the user, the software token is not verified.")


def enforce_app_client_settings() -> None:
    from moto.cognitoidp.models import CognitoIdpBackend

    if getattr(CognitoIdpBackend, "_eptsp_client_settings", False):
        return
    initiate_auth = CognitoIdpBackend.initiate_auth
    admin_initiate_auth = CognitoIdpBackend.admin_initiate_auth
    update_user_attributes = CognitoIdpBackend.update_user_attributes
    respond_to_auth_challenge = CognitoIdpBackend.respond_to_auth_challenge

    def checked_initiate_auth(self: Any, client_id: str, auth_flow: str, auth_parameters: dict[str, str]) -> Any:
        _check_flow(self, client_id, auth_flow, f"{auth_flow} flow not enabled for this client")
        return initiate_auth(self, client_id, auth_flow, auth_parameters)

    def checked_admin_initiate_auth(
        self: Any, user_pool_id: str, client_id: str, auth_flow: str, auth_parameters: dict[str, str]
    ) -> Any:
        _check_flow(self, client_id, auth_flow, "Auth flow not enabled for this client")
        answer = admin_initiate_auth(self, user_pool_id, client_id, auth_flow, auth_parameters)
        requires_mfa = self.user_pools[user_pool_id].mfa_config == "ON"
        if (
            requires_mfa
            and "AuthenticationResult" in answer
            and auth_flow not in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN")
        ):
            return _mfa_challenge(self, user_pool_id, auth_parameters["USERNAME"])
        return answer

    def checked_respond_to_auth_challenge(
        self: Any, session: str, client_id: str, challenge_name: str, challenge_responses: dict[str, str]
    ) -> Any:
        _check_challenge_answer(self, session, challenge_name, challenge_responses)
        username, pool = self.sessions[session]
        answer = respond_to_auth_challenge(self, session, client_id, challenge_name, challenge_responses)
        if challenge_name == "MFA_SETUP" and "AuthenticationResult" in answer:
            # The verified app is now the user's MFA: later sign-ins ask for its code.
            self.admin_get_user(pool.id, username).software_token_mfa_enabled = True
        return answer

    def checked_update_user_attributes(self: Any, access_token: str, attributes: list[dict[str, str]]) -> None:
        _check_writable(self, access_token, attributes)
        return update_user_attributes(self, access_token, attributes)

    CognitoIdpBackend.initiate_auth = checked_initiate_auth
    CognitoIdpBackend.admin_initiate_auth = checked_admin_initiate_auth
    CognitoIdpBackend.update_user_attributes = checked_update_user_attributes
    CognitoIdpBackend.respond_to_auth_challenge = checked_respond_to_auth_challenge
    CognitoIdpBackend._eptsp_client_settings = True

"""The identity provider (Cognito user pool) behind a small interface.

Cognito is the source of truth for passwords, tokens and role groups; profiles live in the
accounts table. Passwords are checked only with the admin flow (``AdminInitiateAuth``,
which needs IAM): the app client allows no public password flow, so nobody can sign in
around the security code and the lockout. Refresh stays on the public flow.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from eptsp.errors import DomainError


class InvalidCredentials(Exception):
    """Cognito refused the username/password or the refresh token."""


class PasswordRejected(DomainError):
    code = "PASSWORD_DITOLAK"
    default_message = "Password tidak memenuhi ketentuan: minimal 8 karakter dengan huruf dan angka."


@dataclass(frozen=True)
class Tokens:
    access_token: str
    id_token: str
    refresh_token: str | None
    expires_in: int


@dataclass(frozen=True)
class Challenge:
    """A step Cognito asks for before it hands out tokens (a pool that requires MFA)."""

    name: str  # MFA_SETUP or SOFTWARE_TOKEN_MFA
    session: str


class CodeRejected(Exception):
    """Cognito refused an authenticator code, or the sign-in session it belongs to."""


class CognitoDirectory:
    def __init__(self, client: Any, user_pool_id: str, client_id: str, best_effort_client: Any | None = None):
        self._cognito = client
        # Revoking a refresh token is best effort (our own session record is what ends the
        # session), so it gets one try instead of the usual retries.
        self._best_effort = best_effort_client or client
        self._pool = user_pool_id
        self._client_id = client_id

    def create_user(self, username: str, password: str, attributes: dict[str, str], group: str | None = None) -> None:
        """Create the user, in ``group`` when one is given (an officer's role; applicants have
        a pool of their own and no group). The caller already owns ``username`` in the
        accounts table, so a user pool entry of that name is left over from an expired
        registration and goes."""
        create = {
            "UserPoolId": self._pool,
            "Username": username,
            "MessageAction": "SUPPRESS",
            "UserAttributes": [{"Name": k, "Value": v} for k, v in attributes.items() if v],
        }
        try:
            self._cognito.admin_create_user(**create)
        except self._cognito.exceptions.UsernameExistsException:
            self._cognito.admin_delete_user(UserPoolId=self._pool, Username=username)
            self._cognito.admin_create_user(**create)
        try:
            self.set_password(username, password)
            if group:
                self._cognito.admin_add_user_to_group(UserPoolId=self._pool, Username=username, GroupName=group)
        except Exception:
            self._cognito.admin_delete_user(UserPoolId=self._pool, Username=username)
            raise

    def update_attributes(self, username: str, attributes: dict[str, str]) -> None:
        self._cognito.admin_update_user_attributes(
            UserPoolId=self._pool,
            Username=username,
            UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
        )

    def set_password(self, username: str, password: str) -> None:
        try:
            self._cognito.admin_set_user_password(
                UserPoolId=self._pool, Username=username, Password=password, Permanent=True
            )
        except self._cognito.exceptions.InvalidPasswordException:
            raise PasswordRejected(field="password") from None

    def _initiate(self, flow: str, parameters: dict[str, str]) -> Tokens | Challenge:
        """The first step of ``flow``: tokens, or the challenge the pool asks for next."""
        try:
            if flow.startswith("ADMIN_"):
                answer = self._cognito.admin_initiate_auth(
                    UserPoolId=self._pool, ClientId=self._client_id, AuthFlow=flow, AuthParameters=parameters
                )
            else:
                answer = self._cognito.initiate_auth(ClientId=self._client_id, AuthFlow=flow, AuthParameters=parameters)
        except (
            self._cognito.exceptions.NotAuthorizedException,
            self._cognito.exceptions.UserNotFoundException,
        ):
            raise InvalidCredentials() from None
        return self._tokens(answer)

    def _authenticate(self, flow: str, parameters: dict[str, str]) -> Tokens:
        step = self._initiate(flow, parameters)
        if isinstance(step, Challenge):  # a challenge (e.g. NEW_PASSWORD_REQUIRED) we never set up
            raise InvalidCredentials()
        return step

    @staticmethod
    def _tokens(answer: dict[str, Any]) -> Tokens | Challenge:
        if "ChallengeName" in answer:
            return Challenge(answer["ChallengeName"], answer["Session"])
        result = answer["AuthenticationResult"]
        return Tokens(
            access_token=result["AccessToken"],
            id_token=result["IdToken"],
            refresh_token=result.get("RefreshToken"),
            expires_in=int(result["ExpiresIn"]),
        )

    def begin_sign_in(self, username: str, password: str) -> Tokens | Challenge:
        """The password step; in a pool that requires MFA, the challenge that follows it."""
        return self._initiate("ADMIN_USER_PASSWORD_AUTH", {"USERNAME": username, "PASSWORD": password})

    def new_authenticator(self, session: str) -> tuple[str, str]:
        """MFA_SETUP: a new TOTP secret for the officer's authenticator app, and the session that goes on."""
        try:
            answer = self._cognito.associate_software_token(Session=session)
        except self._code_errors():
            raise CodeRejected() from None
        return answer["SecretCode"], answer["Session"]

    def answer_challenge(self, username: str, challenge: Challenge, code: str) -> Tokens | Challenge:
        """A six-digit code from the authenticator app: the first one ends MFA_SETUP, later
        ones answer SOFTWARE_TOKEN_MFA."""
        try:
            session, responses = challenge.session, {"USERNAME": username}
            if challenge.name == "MFA_SETUP":
                verified = self._cognito.verify_software_token(Session=session, UserCode=code)
                session = verified["Session"]
            else:
                responses["SOFTWARE_TOKEN_MFA_CODE"] = code
            answer = self._cognito.admin_respond_to_auth_challenge(
                UserPoolId=self._pool,
                ClientId=self._client_id,
                ChallengeName=challenge.name,
                ChallengeResponses=responses,
                Session=session,
            )
        except self._code_errors():
            raise CodeRejected() from None
        return self._tokens(answer)

    def _code_errors(self) -> tuple[type[Exception], ...]:
        errors = self._cognito.exceptions
        return (
            errors.CodeMismatchException,
            errors.NotAuthorizedException,
            errors.ExpiredCodeException,
            errors.EnableSoftwareTokenMFAException,
            errors.ResourceNotFoundException,
            errors.UserNotFoundException,
            errors.InvalidParameterException,
        )

    def forget_authenticator(self, username: str) -> None:
        """The user's authenticator app is turned off: the next sign-in sets a new one up."""
        self._cognito.admin_set_user_mfa_preference(
            UserPoolId=self._pool,
            Username=username,
            SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False},
        )

    def change_own_password(self, access_token: str, old_password: str, new_password: str) -> None:
        """The signed-in user's password, with the current one checked by Cognito."""
        try:
            self._cognito.change_password(
                PreviousPassword=old_password, ProposedPassword=new_password, AccessToken=access_token
            )
        except self._cognito.exceptions.NotAuthorizedException:
            raise InvalidCredentials() from None
        except self._cognito.exceptions.InvalidPasswordException:
            raise PasswordRejected(field="newPassword") from None

    def sign_in(self, username: str, password: str) -> Tokens:
        return self._authenticate("ADMIN_USER_PASSWORD_AUTH", {"USERNAME": username, "PASSWORD": password})

    def check_password(self, username: str, password: str) -> None:
        """Raise InvalidCredentials unless ``password`` is the user's; the session Cognito
        opens to say so is closed at once."""
        tokens = self.sign_in(username, password)
        if tokens.refresh_token:
            self.revoke(tokens.refresh_token)

    def refresh(self, refresh_token: str) -> Tokens:
        return self._authenticate("REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": refresh_token})

    def revoke(self, refresh_token: str) -> None:
        # A token that is already invalid leaves nothing to revoke.
        with contextlib.suppress(self._best_effort.exceptions.ClientError):
            self._best_effort.revoke_token(Token=refresh_token, ClientId=self._client_id)

    def sign_out_everywhere(self, username: str) -> None:
        self._cognito.admin_user_global_sign_out(UserPoolId=self._pool, Username=username)

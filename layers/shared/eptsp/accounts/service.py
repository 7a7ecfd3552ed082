"""The account services wired to the real tables and clients, one place for every function.

Each job has its own module: ``registration`` (registering, activation, officers),
``signin`` (security code, login, lockout, refresh, logout), ``recovery`` (Lupa Password),
``code_requests`` (the queue whose worker sends PINs and activation codes) and ``profiles``
(Edit Profile, Ubah Password). Clients are made only when a service is
first used, so a function pays only for what its route needs.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from eptsp.accounts.code_requests import CodeRequestQueue
from eptsp.accounts.directory import CognitoDirectory
from eptsp.accounts.messages import DailySmsLimit
from eptsp.accounts.models import OfficerCreateRequest, OfficerOutput
from eptsp.accounts.profiles import ProfileService
from eptsp.accounts.recovery import PasswordReset, ResetPins
from eptsp.accounts.registration import ActivationCodes, RegistrationService
from eptsp.accounts.repository import AccountsRepository
from eptsp.accounts.signin import SignInService
from eptsp.notify import Messenger
from eptsp.settings import UserPoolSettings

if TYPE_CHECKING:
    from eptsp.accounts.officer_signin import OfficerSignIn


class Accounts:
    def __init__(self, settings: UserPoolSettings, sender: str | None = None, code_queue_url: str | None = None):
        self._settings = settings
        self._sender_address = sender
        self._code_queue_url = code_queue_url

    @cached_property
    def _repository(self) -> AccountsRepository:
        from eptsp.aws import dynamodb_table

        return AccountsRepository(dynamodb_table(self._settings.accounts_table))

    @cached_property
    def _directory(self) -> CognitoDirectory:
        from eptsp.aws import client

        return CognitoDirectory(
            client("cognito-idp"),
            self._settings.user_pool_id,
            self._settings.user_pool_client_id,
            best_effort_client=client("cognito-idp", attempts=1),
        )

    @cached_property
    def _messenger(self) -> DailySmsLimit | None:
        from eptsp.aws import client

        if not self._sender_address:
            return None
        messenger = Messenger(client("ses"), client("sns"), self._sender_address)
        return DailySmsLimit(messenger, self._repository, self._settings.sms_daily_limit_per_phone)

    @cached_property
    def registration(self) -> RegistrationService:
        code_requests = self.code_requests if self._code_queue_url else None  # officers get no code
        return RegistrationService(self._repository, self._directory, code_requests)

    @cached_property
    def activation_codes(self) -> ActivationCodes:
        return ActivationCodes(self._repository, self._messenger)

    @cached_property
    def sign_in(self) -> SignInService:
        return SignInService(self._repository, self._directory)

    @cached_property
    def officer_sign_in(self) -> OfficerSignIn:
        """Officers' sign-in; only in a function whose settings name the officers' pool."""
        from eptsp.accounts.officer_signin import OfficerSignIn

        return OfficerSignIn(self._repository, self._directory)

    @cached_property
    def password_reset(self) -> PasswordReset:
        return PasswordReset(self._repository, self._directory)

    @cached_property
    def reset_pins(self) -> ResetPins:
        return ResetPins(self._repository, self._messenger)

    @cached_property
    def code_requests(self) -> CodeRequestQueue:
        from eptsp.aws import client

        if not self._code_queue_url:
            raise RuntimeError("No queue for PIN and activation code requests is configured.")
        return CodeRequestQueue(client("sqs"), self._code_queue_url)

    @cached_property
    def profiles(self) -> ProfileService:
        return ProfileService(self._repository, self._directory, self._messenger)

    def create_officer(self, request: OfficerCreateRequest) -> OfficerOutput:
        return self.registration.create_officer(request)


def account_service(
    settings: UserPoolSettings, sender: str | None = None, code_queue_url: str | None = None
) -> Accounts:
    return Accounts(settings, sender, code_queue_url)

"""The signed-in user's own account: Edit Profile and Ubah Password (manual C.5, C.6)."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths

from eptsp.accounts.models import ChangePasswordRequest, ProfileFields, ProfileOutput
from eptsp.accounts.service import AccountService, account_service
from eptsp.http import SIGNED_IN, configure_resolver
from eptsp.identity import Caller
from eptsp.observability import logger, metrics
from eptsp.sessions import current_applicant, current_caller
from eptsp.settings import UserPoolSettings

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)


def accounts() -> AccountService:
    return account_service(UserPoolSettings.load())


def caller() -> Caller:
    return current_caller(app.current_event, UserPoolSettings.load().accounts_table)


@app.get("/api/me", security=SIGNED_IN, summary="Profil pengguna yang sedang masuk", tags=["Akun"])
def handle_get_me() -> ProfileOutput:
    return accounts().profile(caller().username)


@app.put("/api/me", security=SIGNED_IN, summary="Edit Profile (NIK tidak dapat diubah)", tags=["Akun"])
def handle_update_me(fields: Annotated[ProfileFields, Body()]) -> ProfileOutput:
    # Officers' profiles are kept by an admin.
    me = current_applicant(app.current_event, UserPoolSettings.load().accounts_table)
    return accounts().update_profile(me.username, fields)


@app.post("/api/me/password", security=SIGNED_IN, summary="Ubah Password", tags=["Akun"], status_code=204)
def handle_change_password(request: Annotated[ChangePasswordRequest, Body()]):
    accounts().change_password(caller().username, request)
    return Response(status_code=204)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)

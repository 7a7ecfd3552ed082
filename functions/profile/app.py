"""The signed-in user's own account: Edit Profile and Ubah Password (manual C.5, C.6)."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.accounts.models import ChangePasswordRequest, ProfileFields, ProfileOutput
from eptsp.accounts.service import AccountService, account_service
from eptsp.http import register_error_handlers
from eptsp.identity import APPLICANT, Caller
from eptsp.observability import logger, metrics
from eptsp.sessions import current_caller
from eptsp.settings import FunctionSettings

app = APIGatewayHttpResolver(enable_validation=True)
register_error_handlers(app)


class Settings(FunctionSettings):
    accounts_table: str = Field(alias="ACCOUNTS_TABLE")
    user_pool_id: str = Field(alias="USER_POOL_ID")
    user_pool_client_id: str = Field(alias="USER_POOL_CLIENT_ID")


def accounts() -> AccountService:
    s = Settings.load()
    return account_service(s.accounts_table, s.user_pool_id, s.user_pool_client_id)


def caller() -> Caller:
    return current_caller(app.current_event, Settings.load().accounts_table)


@app.get("/api/me", summary="Profil pengguna yang sedang masuk", tags=["Akun"])
def handle_get_me() -> ProfileOutput:
    return accounts().profile(caller().username)


@app.put("/api/me", summary="Edit Profile (NIK tidak dapat diubah)", tags=["Akun"])
def handle_update_me(fields: Annotated[ProfileFields, Body()]) -> ProfileOutput:
    me = caller()
    me.require_role(APPLICANT)  # officers' profiles are kept by an admin
    return accounts().update_profile(me.username, fields)


@app.post("/api/me/password", summary="Ubah Password", tags=["Akun"], status_code=204)
def handle_change_password(request: Annotated[ChangePasswordRequest, Body()]):
    accounts().change_password(caller().username, request)
    return Response(status_code=204)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)

"""Officer accounts, kept by an admin: each officer is in exactly one role group."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths

from eptsp.access import guarded, officers
from eptsp.accounts.models import OfficerCreateRequest, OfficerOutput
from eptsp.accounts.service import account_service
from eptsp.http import SIGNED_IN, configure_resolver
from eptsp.observability import logger, metrics
from eptsp.settings import UserPoolSettings

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

ACCESS = {"POST /api/admin/officers": officers("admin")}


@app.post("/api/admin/officers", security=SIGNED_IN, summary="Buat akun petugas (khusus admin)", tags=["Admin"])
def handle_create_officer(request: Annotated[OfficerCreateRequest, Body()]) -> Response[OfficerOutput]:
    officer = account_service(UserPoolSettings.load()).create_officer(request)
    logger.info("Officer created", extra={"officer": officer.username, "role": request.role})
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=officer)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, UserPoolSettings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)

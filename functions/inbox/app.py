"""Kotak Masuk (Inbox): the signed-in user's own messages, newest first, the unread count
for the header, and marking one or all as read."""

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from eptsp.access import APPLICANT_ONLY, guarded, signed_in
from eptsp.http import SIGNED_IN, configure_resolver
from eptsp.inbox.models import InboxPage, UnreadCountOutput
from eptsp.inbox.service import InboxService, inbox_service
from eptsp.models import ErrorOutput
from eptsp.observability import logger, metrics
from eptsp.settings import SignedInSettings

MessageId = Annotated[str, Path(pattern=r"^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}$")]

app = APIGatewayHttpResolver(enable_validation=True)
configure_resolver(app)

# Everyone signed in has an Inbox; each reads only their own (the partition is the caller's).
ACCESS = {
    "GET /api/inbox": APPLICANT_ONLY,
    "GET /api/inbox/unread-count": APPLICANT_ONLY,
    "POST /api/inbox/{messageId}/read": APPLICANT_ONLY,
    "POST /api/inbox/read-all": APPLICANT_ONLY,
}


class Settings(SignedInSettings):
    inbox_table: str = Field(alias="INBOX_TABLE")


def inbox() -> InboxService:
    return inbox_service(Settings.load().inbox_table)


def owner() -> str:
    return signed_in(app).user_id


@app.get("/api/inbox", security=SIGNED_IN, summary="Kotak Masuk: pesan saya, terbaru dulu", tags=["Kotak Masuk"])
def handle_list_inbox(
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> InboxPage:
    return inbox().page(owner(), limit, cursor)


@app.get("/api/inbox/unread-count", security=SIGNED_IN, summary="Jumlah pesan belum dibaca", tags=["Kotak Masuk"])
def handle_get_unread_count() -> UnreadCountOutput:
    return inbox().unread(owner())


@app.post(
    "/api/inbox/read-all",
    security=SIGNED_IN,
    summary="Tandai semua pesan sudah dibaca",
    tags=["Kotak Masuk"],
    responses={204: {"description": "Semua pesan sudah dibaca"}},
)
def handle_mark_all_read():
    inbox().mark_all_read(owner())
    return Response(status_code=204)


@app.post(
    "/api/inbox/<messageId>/read",
    security=SIGNED_IN,
    summary="Tandai satu pesan sudah dibaca",
    tags=["Kotak Masuk"],
    responses={
        204: {"description": "Pesan sudah dibaca"},
        404: {
            "description": "Pesan tidak ditemukan (atau milik pengguna lain)",
            "content": {"application/json": {"model": ErrorOutput}},
        },
    },
)
def handle_mark_read(messageId: MessageId):
    inbox().mark_read(owner(), messageId)
    return Response(status_code=204)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@guarded(app, ACCESS, Settings)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)

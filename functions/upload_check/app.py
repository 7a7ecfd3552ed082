"""After every upload (S3 ObjectCreated under incoming/): verify it and mark it siap or ditolak."""

from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.data_classes import S3Event, event_source
from pydantic import Field

from eptsp.aws import client, dynamodb_table
from eptsp.files.repository import FilesRepository
from eptsp.files.service import UploadVerifier
from eptsp.observability import logger, metrics
from eptsp.settings import FunctionSettings


class Settings(FunctionSettings):
    files_table: str = Field(alias="FILES_TABLE")


@logger.inject_lambda_context
@metrics.log_metrics
@event_source(data_class=S3Event)
def lambda_handler(event: S3Event, context: object) -> dict:
    verifier = UploadVerifier(FilesRepository(dynamodb_table(Settings.load().files_table)), client("s3"))
    outcomes = {}
    for record in event.records:
        key = unquote_plus(record.s3.get_object.key)
        outcome = verifier.verify(record.s3.bucket.name, key, record.s3.get_object.version_id)
        outcomes[key] = outcome
        logger.info(
            "Upload checked", extra={"key": key, "version_id": record.s3.get_object.version_id, "outcome": outcome}
        )
        metrics.add_metric(name=f"Upload_{outcome}", unit="Count", value=1)
    return {"checked": outcomes}

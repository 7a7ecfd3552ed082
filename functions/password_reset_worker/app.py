"""Lupa Password's worker (SQS): for each request the API queued, look the account up and
send the PIN when identifier, phone and e-mail match (at most one PIN a minute). The API
answered long before, the same for every request."""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import Field

from eptsp.accounts.models import ForgotPasswordRequest
from eptsp.accounts.recovery import ResetPins
from eptsp.accounts.service import account_service
from eptsp.observability import logger, metrics
from eptsp.settings import UserPoolSettings

processor = BatchProcessor(event_type=EventType.SQS)


class Settings(UserPoolSettings):
    ses_sender: str = Field(alias="SES_SENDER")


def reset_pins() -> ResetPins:
    settings = Settings.load()
    return account_service(settings, settings.ses_sender).reset_pins


def handle_reset_request(record: SQSRecord) -> None:
    # A body the API did not write fails here and, after the retries, rests in the dead-letter queue.
    request = ForgotPasswordRequest.model_validate_json(record.body)
    if reset_pins().send_pin(request):
        metrics.add_metric(name="ResetPinSent", unit="Count", value=1)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict, context: object) -> dict:
    # Only the failed messages go back to the queue (ReportBatchItemFailures).
    return process_partial_response(
        event=event, record_handler=handle_reset_request, processor=processor, context=context
    )

"""The code worker (SQS) behind Lupa Password and registration: for each request the API
queued, look the account up and send its code (at most one a minute) by e-mail and SMS:
a Lupa Password PIN when identifier, phone and e-mail match an active account, an
activation code to a pending account (on registering and on Kirim Ulang). The API
answered long before, the same for every request."""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import Field

from eptsp.accounts.code_requests import Kind, read_request
from eptsp.accounts.service import Accounts, account_service
from eptsp.observability import logger, metrics
from eptsp.settings import UserPoolSettings

processor = BatchProcessor(event_type=EventType.SQS)


class Settings(UserPoolSettings):
    ses_sender: str = Field(alias="SES_SENDER")


def accounts() -> Accounts:
    settings = Settings.load()
    return account_service(settings, settings.ses_sender)


def handle_code_request(record: SQSRecord) -> None:
    # A body the API did not write fails here and, after the retries, rests in the dead-letter queue.
    kind, request = read_request(record.body)
    if kind is Kind.RESET_PIN:
        if accounts().reset_pins.send_pin(request):
            metrics.add_metric(name="ResetPinSent", unit="Count", value=1)
    elif accounts().activation_codes.send(request.username):
        metrics.add_metric(name="ActivationCodeSent", unit="Count", value=1)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict, context: object) -> dict:
    # Only the failed messages go back to the queue (ReportBatchItemFailures).
    return process_partial_response(
        event=event, record_handler=handle_code_request, processor=processor, context=context
    )

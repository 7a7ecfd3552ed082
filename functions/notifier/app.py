"""The notifier (SQS): each event of the notification queue becomes the applicant's Inbox
message, e-mail and SMS, or an e-mail to each officer of the role a task landed in.

Each channel goes at most once per event (claimed in the inbox table before the send); a
failed send fails only its message (ReportBatchItemFailures), which comes back after the
visibility timeout and, after maxReceiveCount, rests in the dead-letter queue.
"""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import Field

from eptsp.events import ApplicationEvent
from eptsp.inbox.notifier import Notifier, notifier
from eptsp.observability import logger, metrics
from eptsp.settings import FunctionSettings

# A batch whose every event failed is answered item by item like any other, not as a function
# error: the events come back all the same, and the failures are the notifier's log lines.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


class Settings(FunctionSettings):
    inbox_table: str = Field(alias="INBOX_TABLE")
    applications_table: str = Field(alias="APPLICATIONS_TABLE")
    accounts_table: str = Field(alias="ACCOUNTS_TABLE")
    # The officers' user pool: the e-mail addresses of a role's officers.
    officer_pool_id: str = Field(alias="OFFICER_POOL_ID")
    ses_sender: str = Field(alias="SES_SENDER")
    # The CloudFront distribution's domain name: every e-mail links back to the site.
    site_domain: str = Field(alias="SITE_DOMAIN")
    # The laporan channel: the report counters move once per event.
    reports_table: str | None = Field(default=None, alias="REPORTS_TABLE")
    # The office's calendar: the working days of a finished application.
    catalogue_table: str | None = Field(default=None, alias="CATALOGUE_TABLE")


def delivery() -> Notifier:
    s = Settings.load()
    return notifier(
        s.inbox_table,
        s.applications_table,
        s.accounts_table,
        s.officer_pool_id,
        s.ses_sender,
        s.site_domain,
        s.reports_table,
        s.catalogue_table,
    )


def handle_event(record: SQSRecord) -> None:
    # A body that is not an event fails here every time and ends in the dead-letter queue.
    event = ApplicationEvent.model_validate_json(record.body)
    logger.append_keys(eventId=event.event_id, kind=event.kind)
    for channel in delivery().deliver(event):
        metrics.add_metric(name="NotificationSent", unit="Count", value=1)
        logger.info("Notification sent", extra={"channel": channel})


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict, context: object) -> dict:
    return process_partial_response(event=event, record_handler=handle_event, processor=processor, context=context)

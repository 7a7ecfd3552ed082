"""Penerbitan: the approval state machine's last task (statemachine/approval.asl.json).

The application becomes ``disetujui``, then gets its permit: the number, the KMS signature,
the PDF in the documents bucket, ``terbit``, and the ``terbit`` event. A function of its own
so that only it (with the receipt function) carries the PDF and QR libraries
(requirements.txt), imported on its first task. Errors propagate to the ASL's Retry and
Catch; a retry continues the same permit (eptsp.permits.service).
"""

from typing import Any

from pydantic import Field

from eptsp.observability import logger, metrics
from eptsp.settings import FunctionSettings

FIRST_REQUEST_IMPORTS = ("eptsp.permits.pdf", "eptsp.permits.service", "eptsp.workflow.tasks", "boto3")


class Settings(FunctionSettings):
    applications_table: str = Field(alias="APPLICATIONS_TABLE")
    documents_bucket: str = Field(alias="DOCUMENTS_BUCKET")
    signing_key_id: str = Field(alias="PERMIT_SIGNING_KEY_ID")
    # The CloudFront distribution's domain name: the QR code opens the verification page there.
    site_domain: str = Field(alias="SITE_DOMAIN")


class UnknownAction(ValueError):
    pass


def issuance():
    from eptsp import aws, events
    from eptsp.office import OfficeIdentity
    from eptsp.permits.pdf import render_permit  # see FIRST_REQUEST_IMPORTS
    from eptsp.permits.repository import PermitRepository
    from eptsp.permits.service import IssuanceService, KmsSigner, S3DocumentStore, issued_event
    from eptsp.receipts.document import site_origin
    from eptsp.workflow.repository import WorkflowRepository
    from eptsp.workflow.tasks import WorkflowTasks

    s = Settings.load()
    table = aws.dynamodb_table(s.applications_table)
    workflow = WorkflowTasks(WorkflowRepository(table), engine=None)
    return IssuanceService(
        PermitRepository(table),
        KmsSigner(aws.client("kms"), s.signing_key_id),
        S3DocumentStore(aws.client("s3"), s.documents_bucket),
        OfficeIdentity.load(),
        site_origin(s.site_domain),
        render_permit,
        publish=lambda permit: events.publish(issued_event(permit)),
        approve=workflow.penerbitan,
    )


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    if event.get("action") != "penerbitan":
        raise UnknownAction(f"unknown issuance action: {event.get('action')!r}")
    logger.append_keys(application_id=event.get("applicationId"))
    result = issuance().issue(event["applicationId"])
    metrics.add_metric(name="PermitIssued", unit="Count", value=1)
    return result.model_dump()

"""Daily (EventBridge schedule): every perbaikan past its last day ends as ``ditolak``;
its waiting task token is failed, so the approval flow ends too."""

from typing import Any

from pydantic import Field

from eptsp.observability import logger, metrics
from eptsp.settings import FunctionSettings
from eptsp.workflow.tasks import WorkflowTasks


class Settings(FunctionSettings):
    applications_table: str = Field(alias="APPLICATIONS_TABLE")
    state_machine_arn: str = Field(alias="APPROVAL_STATE_MACHINE_ARN")


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: object) -> dict[str, int]:
    from eptsp.aws import client, dynamodb_table
    from eptsp.workflow.engine import ApprovalEngine
    from eptsp.workflow.repository import WorkflowRepository

    s = Settings.load()
    result = WorkflowTasks(
        WorkflowRepository(dynamodb_table(s.applications_table)),
        ApprovalEngine(client("stepfunctions"), s.state_machine_arn),
    ).expire_perbaikan()
    metrics.add_metric(name="PerbaikanExpired", unit="Count", value=result["expired"])
    return result

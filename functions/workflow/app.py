"""The approval state machine's Lambda tasks (statemachine/approval.asl.json): each event
names its ``action``. Errors propagate, so the ASL's Retry and Catch see them. Penerbitan
runs in the issuance function (which marks the file approved through ``WorkflowTasks``)."""

from typing import Any

from pydantic import Field

from eptsp.observability import logger, metrics
from eptsp.settings import FunctionSettings
from eptsp.workflow.tasks import WorkflowTasks


class Settings(FunctionSettings):
    applications_table: str = Field(alias="APPLICATIONS_TABLE")


def tasks() -> WorkflowTasks:
    from eptsp.aws import dynamodb_table
    from eptsp.workflow.repository import WorkflowRepository

    # These tasks never complete tokens themselves: no Step Functions client.
    return WorkflowTasks(WorkflowRepository(dynamodb_table(Settings.load().applications_table)), engine=None)


ACTIONS = {
    "open_stage": lambda t, e: t.open_stage(e["applicationId"], e["stage"], e["taskToken"]),
    "await_resubmission": lambda t, e: t.await_resubmission(e["applicationId"], e["taskToken"]),
    "record_gangguan": lambda t, e: t.record_gangguan(
        e["applicationId"], e["stage"], e["failedState"], str(e.get("error") or ""), e["taskToken"]
    ),
}


class UnknownAction(ValueError):
    pass


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    action = ACTIONS.get(str(event.get("action")))
    if action is None:
        raise UnknownAction(f"unknown workflow action: {event.get('action')!r}")
    logger.append_keys(application_id=event.get("applicationId"), action=event.get("action"))
    return action(tasks(), event)

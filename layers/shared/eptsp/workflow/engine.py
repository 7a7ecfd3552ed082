"""The approval state machine as the services see it: start a file's execution, complete
the task tokens it waits on. Step Functions' errors become domain exceptions here."""

from __future__ import annotations

import json
from typing import Any

from eptsp.errors import Conflict
from eptsp.observability import logger

STALE_TOKEN_ERRORS = {"TaskDoesNotExist", "InvalidToken", "TaskTimedOut"}


class StaleToken(Conflict):
    code = "TOKEN_USANG"
    default_message = (
        "Alur proses permohonan ini sudah berpindah; tugas ini tidak berlaku lagi. Muat ulang daftar tugas."
    )


class ApprovalEngine:
    def __init__(self, client: Any, state_machine_arn: str):
        self._client = client
        self._arn = state_machine_arn

    def start(self, application_id: str, stage: str) -> None:
        """Start the file's execution, named after the application: starting it twice starts one."""
        try:
            self._client.start_execution(
                stateMachineArn=self._arn,
                name=application_id,
                input=json.dumps({"applicationId": application_id, "stage": stage}, sort_keys=True),
            )
        except self._client.exceptions.ExecutionAlreadyExists:
            logger.info("Execution already started", extra={"application_id": application_id})

    def resume(self, token: str, output: dict[str, Any]) -> None:
        try:
            self._client.send_task_success(taskToken=token, output=json.dumps(output, sort_keys=True))
        except self._client.exceptions.ClientError as error:
            if error.response["Error"]["Code"] in STALE_TOKEN_ERRORS:
                raise StaleToken() from None
            raise

    def fail(self, token: str, error: str, cause: str) -> None:
        try:
            self._client.send_task_failure(taskToken=token, error=error, cause=cause)
        except self._client.exceptions.ClientError as failure:
            if failure.response["Error"]["Code"] in STALE_TOKEN_ERRORS:
                raise StaleToken() from None
            raise

"""The template's event sources beyond HTTP and S3, delivered in-process: SQS event source
mappings, schedules and Step Functions Lambda tasks; and ``GET /_local/``, what runs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from local_stack import schedules, sqs, stepfunctions
from local_stack.functions import LocalFunction
from local_stack.resources import ACCOUNT_ID, Provisioned

_RUN_SCHEDULE = re.compile(r"^/_local/schedules/(?P<name>[A-Za-z0-9]+)/run$")


class EventSources:
    def __init__(
        self,
        provisioned: Provisioned,
        functions: dict[str, LocalFunction],
        session: Any,
        poll_interval: float,
        schedule_speed: float,
    ):
        self._provisioned = provisioned
        self._functions = functions
        region = session.region_name
        # The stack's session: its clients are thread-safe, and a new session would reload its models.
        self._sqs = sqs_client = session.client("sqs")
        self.sqs = sqs.SqsEventSource(
            sqs.mappings(provisioned.served, functions, sqs_client), sqs_client, region, poll_interval
        )
        self.scheduler = schedules.Scheduler(
            schedules.schedules(
                provisioned.served, functions, provisioned.physical_ids, region, ACCOUNT_ID, provisioned.stack_name
            ),
            schedule_speed,
        )
        self.state_machines = stepfunctions.StateMachines(
            {
                name: provisioned.physical_ids[name]
                for name, kind in provisioned.types.items()
                if kind == "AWS::StepFunctions::StateMachine"
            },
            session.client("stepfunctions"),
        )
        stepfunctions.route_lambda_tasks(functions)

    @property
    def failures(self) -> list[str]:
        return [*self.sqs.failures, *self.scheduler.failures]

    def start(self) -> None:
        self.sqs.start()
        self.scheduler.start()

    def stop(self) -> None:
        self.scheduler.stop()
        self.sqs.stop()
        self.state_machines.stop()
        stepfunctions.forget_lambda_tasks(self._functions)

    # ---------------------------------------------------------------- GET /_local/
    def _queues(self) -> list[dict[str, Any]]:
        client = self._sqs
        urls = {
            name: self._provisioned.physical_ids[name]
            for name, kind in self._provisioned.types.items()
            if kind == "AWS::SQS::Queue"
        }
        queues = []
        for name, url in urls.items():
            attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn", "RedrivePolicy"])
            redrive = json.loads(attributes["Attributes"].get("RedrivePolicy") or "{}")
            entry: dict[str, Any] = {"name": name, "url": url, **self.sqs.depth(url)}
            if redrive:
                dead_letter_name = redrive["deadLetterTargetArn"].rsplit(":", 1)[1]
                dead_letter_url = client.get_queue_url(QueueName=dead_letter_name)["QueueUrl"]
                entry["deadLetter"] = {
                    "name": next((n for n, u in urls.items() if u.endswith("/" + dead_letter_name)), dead_letter_name),
                    "maxReceiveCount": int(redrive["maxReceiveCount"]),
                    "messages": self.sqs.depth(dead_letter_url)["messages"],
                }
            queues.append(entry)
        return queues

    def status(self) -> dict[str, Any]:
        # SAM names a function event's generated resources after the function and the event.
        queues = {m.name: {"queueArn": m.queue_arn} for m in self.sqs.mappings}
        functions = [
            {
                "name": name,
                "functionName": function.physical_name,
                "eventSources": [
                    {"name": event, "type": kind, **queues.get(name + event, {})}
                    for event, kind in function.spec.event_types.items()
                ],
            }
            for name, function in self._functions.items()
        ]
        return {
            "functions": functions,
            "queues": self._queues(),
            "schedules": self.scheduler.status(),
            "stateMachines": self.state_machines.status(),
            "failures": self.failures,
        }

    def helpers(self) -> dict[str, Callable[[Any, dict[str, str]], Any]]:
        from werkzeug.wrappers import Response

        def status(_request: Any, _params: dict[str, str]) -> Response:
            return Response(json.dumps(self.status(), ensure_ascii=False), content_type="application/json")

        return {"/_local/": status}

    def action(self, environ: dict[str, Any]) -> Callable[..., Any] | None:
        """A WSGI app for the local-only POST actions, or None for every other request.

        ``POST /_local/schedules/<logical id of the rule, or of the function>/run`` runs the
        schedule now, as its time had come, and answers once the function has returned.
        """
        from werkzeug.wrappers import Response

        match = _RUN_SCHEDULE.match(environ.get("PATH_INFO", ""))
        if environ.get("REQUEST_METHOD") != "POST" or match is None:
            return None

        def answer(value: Any, status: int) -> Response:
            return Response(json.dumps(value, ensure_ascii=False), status=status, content_type="application/json")

        try:
            ran = self.scheduler.run_now(match.group("name"))
        except KeyError:
            return answer({"code": "TIDAK_DITEMUKAN", "message": "Jadwal tidak ditemukan."}, 404)
        except Exception as error:
            return answer({"code": "GAGAL", "message": f"Fungsi gagal: {error!r}"}, 502)
        return answer(
            {"ran": [{"name": e.name, "function": e.function.spec.logical_id, "event": event} for e, event in ran]},
            200,
        )

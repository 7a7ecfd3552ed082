"""SQS event source mappings as Lambda runs them: a poller per mapping reads batches from
the real (moto) queue, invokes the function in-process with a real SQS event, deletes what
succeeded and leaves the rest to come back after the queue's visibility timeout, until the
queue's redrive policy moves it to the dead-letter queue (moto does that on the receive
after ``maxReceiveCount``, as SQS does).

The mappings come from the translated template (``AWS::Lambda::EventSourceMapping``, which
is what SAM makes of a function's ``SQS`` event), with their references resolved.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from local_stack.functions import LocalFunction

LOGGER = logging.getLogger("local_stack.sqs")
RECEIVE_LIMIT = 10  # messages per ReceiveMessage call


@dataclass(frozen=True)
class QueueMapping:
    name: str  # the mapping's logical id (function + event name)
    queue_url: str
    queue_arn: str
    function: LocalFunction
    batch_size: int = 10
    batching_window_seconds: float = 0.0
    report_batch_item_failures: bool = False
    enabled: bool = True


def mappings(
    served: dict[str, dict[str, Any]], functions: dict[str, LocalFunction], sqs_client: Any
) -> list[QueueMapping]:
    """Every SQS event source mapping of the template (references already resolved)."""
    by_name = {f.physical_name: f for f in functions.values()}
    found = []
    for name, resource in served.items():
        if resource["Type"] != "AWS::Lambda::EventSourceMapping":
            continue
        props = resource["Properties"]
        queue_arn = props["EventSourceArn"]
        queue_name = queue_arn.rsplit(":", 1)[1]
        function_name = props["FunctionName"].rsplit(":function:", 1)[-1].split(":")[0]
        queue_url = sqs_client.get_queue_url(QueueName=queue_name)["QueueUrl"]
        function = by_name[function_name]
        found.append(
            QueueMapping(
                name=name,
                queue_url=queue_url,
                queue_arn=queue_arn,
                function=function,
                batch_size=int(props.get("BatchSize", 10)),
                batching_window_seconds=float(props.get("MaximumBatchingWindowInSeconds", 0)),
                report_batch_item_failures="ReportBatchItemFailures" in (props.get("FunctionResponseTypes") or []),
                enabled=str(props.get("Enabled", True)).lower() != "false",
            )
        )
    return found


def _message_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    # Lambda spells SQS's message attributes in camel case, with the list fields always present.
    converted = {}
    for name, value in attributes.items():
        item: dict[str, Any] = {"stringListValues": [], "binaryListValues": [], "dataType": value["DataType"]}
        if "StringValue" in value:
            item["stringValue"] = value["StringValue"]
        if "BinaryValue" in value:
            import base64

            item["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode()
        converted[name] = item
    return converted


def sqs_event(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": _message_attributes(m.get("MessageAttributes", {})),
                "md5OfBody": m["MD5OfBody"],
                **({"md5OfMessageAttributes": m["MD5OfMessageAttributes"]} if "MD5OfMessageAttributes" in m else {}),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for m in messages
        ]
    }


def failed_message_ids(result: Any, message_ids: list[str]) -> list[str]:
    """The messages a ReportBatchItemFailures response asks to keep, as Lambda reads it.

    A response Lambda cannot read (an identifier that is empty or not in the batch) fails
    the whole batch.
    """
    if not isinstance(result, dict) or not result.get("batchItemFailures"):
        return []
    failures = result["batchItemFailures"]
    if not isinstance(failures, list):
        return list(message_ids)
    ids = []
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not identifier or identifier not in message_ids:
            return list(message_ids)
        ids.append(identifier)
    return ids


class SqsEventSource:
    """One polling thread per enabled mapping; ``failures`` records every failed invocation."""

    def __init__(self, queue_mappings: list[QueueMapping], client: Any, region: str, poll_interval: float = 0.2):
        self.mappings = queue_mappings
        self._region = region
        self._poll_interval = poll_interval
        self._client = client
        self._stopping = threading.Event()
        self._busy: set[str] = set()
        self._lock = threading.Lock()
        self.failures: list[str] = []
        self.invocations = 0
        self._threads = [
            threading.Thread(target=self._poll, args=(m,), name=f"local-sqs-{m.name}", daemon=True)
            for m in queue_mappings
            if m.enabled
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def _receive_batch(self, mapping: QueueMapping) -> list[dict[str, Any]]:
        """Up to BatchSize messages, gathered for up to the batching window, as Lambda does."""
        batch: dict[str, dict[str, Any]] = {}
        window_ends = time.monotonic() + mapping.batching_window_seconds
        while len(batch) < mapping.batch_size and not self._stopping.is_set():
            received = self._client.receive_message(
                QueueUrl=mapping.queue_url,
                MaxNumberOfMessages=min(RECEIVE_LIMIT, mapping.batch_size - len(batch)),
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
                WaitTimeSeconds=0,
            ).get("Messages", [])
            for message in received:
                # Received again within the window (its visibility timeout ran out): the newest
                # receipt handle is the one that can delete it.
                batch[message["MessageId"]] = message
            if not batch or time.monotonic() >= window_ends:
                break
            if not received:
                self._stopping.wait(min(self._poll_interval, max(0.0, window_ends - time.monotonic())))
        return list(batch.values())

    def _poll(self, mapping: QueueMapping) -> None:
        while not self._stopping.is_set():
            batch: list[dict[str, Any]] = []
            try:
                with self._lock:
                    self._busy.add(mapping.name)
                batch = self._receive_batch(mapping)
                if batch:
                    self._deliver(mapping, batch)
            except Exception as error:  # the poller must outlive a broken moto call
                if not self._stopping.is_set():
                    LOGGER.exception("SQS poller %s", mapping.name)
                    self.failures.append(f"{mapping.name}: poller: {error!r}")
            finally:
                with self._lock:
                    self._busy.discard(mapping.name)
            if not batch:
                self._stopping.wait(self._poll_interval)

    def _deliver(self, mapping: QueueMapping, batch: list[dict[str, Any]]) -> None:
        ids = [m["MessageId"] for m in batch]
        self.invocations += 1
        try:
            result = mapping.function.invoke(sqs_event(batch, mapping.queue_arn, self._region))
        except Exception as error:
            # The whole batch comes back after the visibility timeout.
            name = mapping.function.spec.logical_id
            LOGGER.exception("%s failed a batch of %d from %s", name, len(ids), mapping.name)
            self.failures.append(f"{mapping.name}: {name}: {error!r}")
            return
        keep = set(failed_message_ids(result, ids)) if mapping.report_batch_item_failures else set()
        done = [m for m in batch if m["MessageId"] not in keep]
        for start in range(0, len(done), RECEIVE_LIMIT):
            chunk = done[start : start + RECEIVE_LIMIT]
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)]
            self._client.delete_message_batch(QueueUrl=mapping.queue_url, Entries=entries)

    def depth(self, queue_url: str) -> dict[str, int]:
        attributes = self._client.get_queue_attributes(
            QueueUrl=queue_url,
            AttributeNames=[
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed",
            ],
        )["Attributes"]
        return {
            "messages": int(attributes["ApproximateNumberOfMessages"]),
            "inFlight": int(attributes["ApproximateNumberOfMessagesNotVisible"]),
            "delayed": int(attributes["ApproximateNumberOfMessagesDelayed"]),
        }

    def wait_until_drained(self, timeout: float = 30) -> None:
        """Block until every mapped queue is empty (failed messages redriven) and no batch is
        being handled; raises TimeoutError otherwise. Tests use this."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                busy = bool(self._busy)
            if not busy and all(not any(self.depth(m.queue_url).values()) for m in self.mappings if m.enabled):
                with self._lock:
                    if not self._busy:
                        return
            if time.monotonic() > deadline:
                raise TimeoutError(f"SQS queues not drained after {timeout} s: {self.status()}")
            time.sleep(self._poll_interval / 2)

    def status(self) -> list[dict[str, Any]]:
        return [
            {"mapping": m.name, "function": m.function.spec.logical_id, "queueArn": m.queue_arn, "enabled": m.enabled}
            for m in self.mappings
        ]

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=10)

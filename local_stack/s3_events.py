"""S3 notifications as AWS delivers them: ObjectCreated events, asynchronously, to the
functions whose template ``Events`` subscribe to the bucket (moto's CloudFormation does not
set bucket notifications up).

Every S3 request of the browser and of the handlers reaches moto through the local
gateway (path-style, same origin), so the gateway sees each object being created.
"""

from __future__ import annotations

import fnmatch
import queue
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus

from local_stack.functions import LocalFunction
from local_stack.template import FunctionSpec


@dataclass(frozen=True)
class Subscription:
    bucket: str
    event_patterns: tuple[str, ...]
    prefix: str
    suffix: str
    function: LocalFunction

    def wants(self, bucket: str, event_name: str, key: str) -> bool:
        return (
            bucket == self.bucket
            and any(fnmatch.fnmatch(f"s3:{event_name}", pattern) for pattern in self.event_patterns)
            and key.startswith(self.prefix)
            and key.endswith(self.suffix)
        )


def subscriptions(specs: list[FunctionSpec], functions: dict[str, LocalFunction], physical_ids: dict[str, str]):
    found = []
    for spec in specs:
        for event in spec.s3_events:
            bucket = event["Bucket"]["Ref"] if isinstance(event["Bucket"], dict) else event["Bucket"]
            patterns = event["Events"] if isinstance(event["Events"], list) else [event["Events"]]
            rules = {
                r["Name"].lower(): r["Value"] for r in (event.get("Filter") or {}).get("S3Key", {}).get("Rules", [])
            }
            found.append(
                Subscription(
                    physical_ids.get(bucket, bucket),
                    tuple(patterns),
                    rules.get("prefix", ""),
                    rules.get("suffix", ""),
                    functions[spec.logical_id],
                )
            )
    return found


class S3EventSource:
    def __init__(self, subscriptions: list[Subscription], region: str):
        self._subscriptions = subscriptions
        self._region = region
        self._queue: queue.Queue[tuple[LocalFunction, dict[str, Any]] | None] = queue.Queue()
        self._worker = threading.Thread(target=self._deliver, name="local-s3-events", daemon=True)
        self._worker.start()
        self.failures: list[str] = []

    def object_created(
        self, bucket: str, key: str, size: int, etag: str, event_name: str, version_id: str | None = None
    ) -> None:
        created = {"key": quote_plus(key, safe="/"), "size": size, "eTag": etag}
        if version_id:  # AWS names the version created in a versioned bucket
            created["versionId"] = version_id
        record = {
            "eventVersion": "2.1",
            "eventSource": "aws:s3",
            "awsRegion": self._region,
            "eventTime": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "eventName": event_name,
            "userIdentity": {"principalId": "local"},
            "requestParameters": {"sourceIPAddress": "127.0.0.1"},
            "responseElements": {"x-amz-request-id": uuid.uuid4().hex[:16].upper()},
            "s3": {
                "s3SchemaVersion": "1.0",
                "configurationId": "local",
                "bucket": {"name": bucket, "ownerIdentity": {"principalId": "local"}, "arn": f"arn:aws:s3:::{bucket}"},
                "object": {**created, "sequencer": uuid.uuid4().hex},
            },
        }
        for subscription in self._subscriptions:
            if subscription.wants(bucket, event_name, key):
                self._queue.put((subscription.function, {"Records": [record]}))

    def _deliver(self) -> None:
        while (item := self._queue.get()) is not None:
            function, event = item
            try:
                function.invoke(event)
            except Exception as error:
                self.failures.append(f"{function.spec.logical_id}: {error!r}")
            finally:
                self._queue.task_done()

    def wait_until_delivered(self) -> None:
        """Block until every event so far has been handled (tests use this)."""
        self._queue.join()

    def stop(self) -> None:
        self._queue.put(None)
        self._worker.join(timeout=10)

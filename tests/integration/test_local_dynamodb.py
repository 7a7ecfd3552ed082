"""The local stack's DynamoDB: a cancelled transaction leaves every item it named as it was."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.integration.table_helpers import scratch_table


@pytest.fixture
def table(stack):
    client = boto3.client("dynamodb", endpoint_url=stack.moto_url, region_name="ap-southeast-3")
    name = scratch_table(client, "transactions")
    yield client, name
    client.delete_table(TableName=name)


def item(client, name, pk):
    return client.get_item(TableName=name, Key={"pk": {"S": pk}, "sk": {"S": "A"}}).get("Item")


def test_a_cancelled_transaction_restores_the_updated_item_and_removes_the_new_one(table):
    client, name = table
    client.put_item(TableName=name, Item={"pk": {"S": "kept"}, "sk": {"S": "A"}, "n": {"N": "1"}})
    with pytest.raises(ClientError) as cancelled:
        client.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": name,
                        "Key": {"pk": {"S": "kept"}, "sk": {"S": "A"}},
                        "UpdateExpression": "SET n = :two",
                        "ExpressionAttributeValues": {":two": {"N": "2"}},
                    }
                },
                {"Put": {"TableName": name, "Item": {"pk": {"S": "new"}, "sk": {"S": "A"}}}},
                {
                    "ConditionCheck": {
                        "TableName": name,
                        "Key": {"pk": {"S": "absent"}, "sk": {"S": "A"}},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
    assert cancelled.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert item(client, name, "kept")["n"] == {"N": "1"}
    assert item(client, name, "new") is None
    assert item(client, name, "absent") is None


def test_a_transaction_that_succeeds_writes_every_item(table):
    client, name = table
    client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": name, "Item": {"pk": {"S": pk}, "sk": {"S": "A"}}}} for pk in ("one", "two")
        ]
    )
    assert item(client, name, "one") and item(client, name, "two")

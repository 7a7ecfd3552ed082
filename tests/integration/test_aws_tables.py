"""The handlers' DynamoDB tables (``eptsp.aws.dynamodb_table``: one client with boto3's own
Python-value handlers, no resource) read and write as boto3's ``Table`` resource does."""

from __future__ import annotations

from decimal import Decimal

import boto3
import pytest
from boto3.dynamodb.conditions import Attr, Key

from eptsp import aws
from tests.integration.table_helpers import scratch_table


@pytest.fixture
def tables(stack):
    client = boto3.client("dynamodb", endpoint_url=stack.moto_url, region_name="ap-southeast-3")
    name = scratch_table(client, "tables")
    resource = boto3.resource("dynamodb", endpoint_url=stack.moto_url, region_name="ap-southeast-3").Table(name)
    yield aws.dynamodb_table(name), resource
    client.delete_table(TableName=name)


def test_items_written_through_the_table_read_the_same_through_boto3s_resource(tables):
    ours, theirs = tables
    item = {"pk": "a", "sk": "1", "n": Decimal(3), "tags": {"x", "y"}, "data": {"list": [Decimal(1), "b", None]}}
    ours.put_item(Item=item)
    assert ours.get_item(Key={"pk": "a", "sk": "1"})["Item"] == item
    assert theirs.get_item(Key={"pk": "a", "sk": "1"})["Item"] == item
    theirs.put_item(Item={**item, "sk": "2"})
    assert ours.get_item(Key={"pk": "a", "sk": "2"})["Item"] == {**item, "sk": "2"}
    assert ours.name == theirs.name


def test_updates_queries_and_conditions_behave_as_boto3s_resource(tables):
    ours, theirs = tables
    for n in range(30):
        ours.put_item(Item={"pk": "b", "sk": f"{n:02d}", "n": n})
    ours.delete_item(Key={"pk": "b", "sk": "00"})
    updated = ours.update_item(
        Key={"pk": "b", "sk": "01"},
        UpdateExpression="SET n = n + :one",
        ExpressionAttributeValues={":one": 1},
        ReturnValues="ALL_NEW",
    )
    assert updated["Attributes"]["n"] == 2
    by_string = ours.query(
        KeyConditionExpression="pk = :pk AND sk >= :from", ExpressionAttributeValues={":pk": "b", ":from": "10"}
    )
    by_builder = ours.query(KeyConditionExpression=Key("pk").eq("b") & Key("sk").gte("10"), Limit=5)
    theirs_answer = theirs.query(KeyConditionExpression=Key("pk").eq("b") & Key("sk").gte("10"), Limit=5)
    assert [i["sk"] for i in by_string["Items"]] == [f"{n}" for n in range(10, 30)]
    assert by_builder["Items"] == theirs_answer["Items"]
    assert by_builder["LastEvaluatedKey"] == theirs_answer["LastEvaluatedKey"] == {"pk": "b", "sk": "14"}
    small = Attr("n").lt(5)
    filtered = {"KeyConditionExpression": Key("pk").eq("b"), "FilterExpression": small}
    assert ours.query(**filtered)["Count"] == theirs.query(**filtered)["Count"] == 4
    with pytest.raises(ours.meta.client.exceptions.ConditionalCheckFailedException):
        ours.delete_item(Key={"pk": "b", "sk": "01"}, ConditionExpression=Attr("n").eq(99))
    ours.delete_item(Key={"pk": "b", "sk": "01"}, ConditionExpression="attribute_exists(pk)")
    assert "Item" not in theirs.get_item(Key={"pk": "b", "sk": "01"})

"""The cold-start baseline: the least a handler of this project could be. A Powertools HTTP
resolver with validation, one pydantic model, one boto3 DynamoDB GetItem."""

import json
import os

import boto3
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from pydantic import BaseModel

app = APIGatewayHttpResolver(enable_validation=True)
dynamodb = boto3.client("dynamodb")


class Item(BaseModel):
    id: str
    found: bool


@app.get("/baseline/<item_id>")
def get_item(item_id: str) -> Item:
    answer = dynamodb.get_item(TableName=os.environ["BASELINE_TABLE"], Key=json.loads(os.environ["BASELINE_KEY"]))
    return Item(id=item_id, found="Item" in answer)


def lambda_handler(event, context):
    return app.resolve(event, context)

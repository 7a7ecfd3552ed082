"""Base of every API and domain model: camelCase on the wire, snake_case in Python."""

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    # defer_build: a model's validator and serializer are built when it is first used, not
    # when its module is imported. A function imports many more models (the other routes of
    # its package) than one request uses; building them all cost a cold start about 100 ms.
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True, defer_build=True
    )


class ErrorOutput(ApiModel):
    """The one error shape of the API (message in Indonesian)."""

    code: str
    message: str
    field: str | None = None

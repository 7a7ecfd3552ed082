"""Base of every API and domain model: camelCase on the wire, snake_case in Python."""

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True)


class ErrorOutput(ApiModel):
    """The one error shape of the API (message in Indonesian)."""

    code: str
    message: str
    field: str | None = None

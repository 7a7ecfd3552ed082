"""The local stack: the whole system on a laptop, with no AWS account and no Docker.

``template.yaml`` stays the single source of truth: the resources it declares are created
on moto (most through moto's CloudFormation, the few it cannot create by this runner), its
API routes are served by calling the real handlers in-process with API Gateway v2 events,
and ``statics/`` is served at ``/``. Tests start the same stack on free ports.
"""

from local_stack.stack import LocalStack

__all__ = ["LocalStack"]

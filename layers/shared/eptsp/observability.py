"""Logger and metrics shared by every handler.

Tracing is Lambda's active tracing, configured in the template; the X-Ray SDK is left out
on purpose because importing it costs about a third of a second of cold start.
"""

import warnings

from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics()

# Most requests publish no custom metric; Powertools would warn about it on every call.
warnings.filterwarnings("ignore", message="No application metrics to publish")

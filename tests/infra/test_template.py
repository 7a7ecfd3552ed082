"""template.yaml: valid, production-minded, and in step with the handlers' own routes."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from local_stack import template

SAM = template.load_sam_template()
RESOURCES = SAM["Resources"]
FUNCTIONS = template.functions(SAM)
DATA_MODEL = template.ROOT / "docs" / "data-model.md"


def of_type(kind: str) -> dict:
    return {name: r for name, r in RESOURCES.items() if r["Type"] == kind}


def test_sam_validate_lint_is_clean():
    sam = shutil.which("sam", path=str(Path(sys.executable).parent)) or shutil.which("sam")
    assert sam, "aws-sam-cli is installed by requirements-dev.txt"
    result = subprocess.run(
        [sam, "validate", "--lint"],
        cwd=template.ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SAM_CLI_TELEMETRY": "0", "AWS_DEFAULT_REGION": "ap-southeast-3"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is a valid SAM Template" in result.stdout


def test_sam_build_makes_an_arm64_layer(tmp_path):
    # Catches a pinned dependency without an aarch64 wheel before a deploy does.
    sam = shutil.which("sam", path=str(Path(sys.executable).parent)) or shutil.which("sam")
    result = subprocess.run(
        [sam, "build", "--build-dir", str(tmp_path / "build"), "--cache-dir", str(tmp_path / "cache")],
        cwd=template.ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SAM_CLI_TELEMETRY": "0", "AWS_DEFAULT_REGION": "ap-southeast-3"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    layer = tmp_path / "build" / "SharedLayer" / "python"
    assert (layer / "eptsp" / "__init__.py").is_file()
    native = list(layer.glob("pydantic_core/_pydantic_core.*.so"))
    assert native and "aarch64" in native[0].name
    assert list(layer.glob("PIL/_imaging.*aarch64*.so"))


def load_resolver(spec: template.FunctionSpec):
    sys.path.insert(0, str(spec.code_dir))
    try:
        module_spec = importlib.util.spec_from_file_location(f"infra_{spec.logical_id}", spec.module_path)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(spec.code_dir))
    assert callable(getattr(module, spec.entry_point)), f"{spec.handler} is not callable"
    return getattr(module, "app", None)


@pytest.mark.parametrize("spec", FUNCTIONS, ids=[f.logical_id for f in FUNCTIONS])
def test_function_imports_and_serves_exactly_its_template_routes(spec):
    # When the handler module is imported as Lambda would (no environment needed)
    resolver = load_resolver(spec)
    # Then the resolver's routes and the template's events are the same, both ways
    routes = (resolver._static_routes + resolver._dynamic_routes) if resolver else []
    served = {(r.method, r.openapi_path) for r in routes}
    declared = {(r.method, r.path) for r in spec.routes}
    assert served == declared


def test_every_route_is_under_api_with_a_plain_path():
    for spec in FUNCTIONS:
        for route in spec.routes:
            assert route.path.startswith("/api/"), route
            assert re.fullmatch(r"[A-Za-z0-9/{}+_.-]+", route.path), route


def test_every_table_is_on_demand_and_outlives_its_stack():
    # checkov checks recovery and encryption; these are ours: no capacity to plan, no data lost
    # with a deleted or replaced stack.
    for name, table in of_type("AWS::DynamoDB::Table").items():
        assert table["Properties"]["BillingMode"] == "PAY_PER_REQUEST", name
        assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain", name


def test_every_table_and_user_pool_refuses_deletion():
    # Retain covers only the stack's deletion; these refuse a DeleteTable or DeleteUserPool.
    tables = of_type("AWS::DynamoDB::Table")
    pools = of_type("AWS::Cognito::UserPool")
    assert tables and pools
    assert {n: t["Properties"].get("DeletionProtectionEnabled") for n, t in tables.items()} == dict.fromkeys(
        tables, True
    )
    assert {n: p["Properties"].get("DeletionProtection") for n, p in pools.items()} == dict.fromkeys(pools, "ACTIVE")


def test_each_table_expires_items_on_the_attribute_the_data_model_names():
    documented = dict(re.findall(r"^## (\w+Table) \(.*?(?:TTL `(\w+)`)?\)$", DATA_MODEL.read_text(), re.MULTILINE))
    declared = {
        name: (table["Properties"].get("TimeToLiveSpecification") or {}).get("AttributeName", "")
        for name, table in of_type("AWS::DynamoDB::Table").items()
    }
    assert declared == documented
    assert declared["FilesTable"] == "expiresAt"  # abandoned upload grants
    for name, table in of_type("AWS::DynamoDB::Table").items():
        if declared[name]:
            assert table["Properties"]["TimeToLiveSpecification"]["Enabled"] is True, name


def test_a_failed_asynchronous_invocation_waits_in_a_watched_queue():
    # S3 invokes these functions asynchronously: after Lambda's retries the event must land
    # somewhere an operator hears of, not vanish.
    asynchronous = {name: f for name, f in of_type("AWS::Serverless::Function").items() if has_s3_event(f)}
    assert "UploadCheckFunction" in asynchronous
    alarms = of_type("AWS::CloudWatch::Alarm").values()
    for name, function in asynchronous.items():
        invoke = function["Properties"].get("EventInvokeConfig") or {}
        on_failure = invoke.get("DestinationConfig", {}).get("OnFailure", {})
        assert on_failure.get("Type") == "SQS", name
        queue = on_failure["Destination"]["Fn::GetAtt"][0]
        assert RESOURCES[queue]["Type"] == "AWS::SQS::Queue"
        assert RESOURCES[queue]["Properties"]["MessageRetentionPeriod"] >= 7 * 86400
        assert invoke["MaximumRetryAttempts"] <= 2
        assert any(
            alarm["Properties"].get("Namespace") == "AWS/SQS"
            and alarm["Properties"]["MetricName"] == "ApproximateNumberOfMessagesVisible"
            and alarm["Properties"]["Dimensions"][0]["Value"] == {"Fn::GetAtt": [queue, "QueueName"]}
            and alarm["Properties"]["Threshold"] == 1
            and alarm["Properties"]["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
            for alarm in alarms
        ), f"no alarm on {queue}"


def has_s3_event(function: dict) -> bool:
    return any(event["Type"] == "S3" for event in (function["Properties"].get("Events") or {}).values())


def test_the_site_may_reach_the_documents_bucket_only_at_its_regional_address():
    regional = "https://${AWS::StackName}-documents-${AWS::AccountId}-${AWS::Region}.s3.${AWS::Region}.amazonaws.com"
    config = RESOURCES["StaticsSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    csp = config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["connect-src"] == ["'self'", regional]
    assert directives["form-action"] == ["'self'"]
    assert RESOURCES["DocumentsBucket"]["Properties"]["BucketName"]["Fn::Sub"] in regional
    # The bucket answers the browser's cross-origin POST from the site's origin alone.
    (rule,) = RESOURCES["DocumentsBucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedMethods"] in (["POST"], ["POST", "GET"])  # uploads; File Saya's preview reads
    assert rule["AllowedOrigins"] == [
        {
            "Fn::If": [
                "HasSiteDomain",
                {"Fn::Sub": "https://${SiteDomainName}"},
                {"Fn::Sub": "https://${Distribution.DomainName}"},
            ]
        }
    ]


def test_documents_bucket_refuses_plain_http():
    statements = RESOURCES["DocumentsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert any(s["Effect"] == "Deny" and "aws:SecureTransport" in str(s["Condition"]) for s in statements)


def test_function_policies_are_scoped_to_named_resources():
    for name, function in of_type("AWS::Serverless::Function").items():
        for policy in function["Properties"].get("Policies", []):
            assert isinstance(policy, dict), f"{name}: managed policy {policy!r} is too broad"
            statements = policy.get("Statement", [])
            for statement in statements:
                if statement.get("Resource") != "*":
                    continue
                # The one exception: SMS to phone numbers (no ARN), with topics denied.
                assert statement["Action"] == "sns:Publish", f"{name}: {statement}"
                assert any(s["Effect"] == "Deny" and s["Action"] == "sns:Publish" for s in statements), name


def test_layer_and_dev_requirements_are_pinned():
    for name in ("layers/shared/requirements.txt", "requirements-dev.txt", "requirements-tools.txt"):
        path = template.ROOT / name
        for line in path.read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert "==" in line, f"{path.name}: {line} is not pinned"


def _statements(function: str) -> list[dict]:
    return [s for p in RESOURCES[function]["Properties"].get("Policies", []) for s in p.get("Statement", [])]


def test_notifications_queue_retries_then_dead_letters_with_an_alarm_and_publishers_only_send():
    queue = RESOURCES["NotificationQueue"]["Properties"]
    notifier = RESOURCES["NotifierFunction"]["Properties"]
    # A failed event comes back, then rests in the dead-letter queue, which an alarm watches
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["NotificationDeadLetterQueue", "Arn"]}
    assert queue["RedrivePolicy"]["maxReceiveCount"] >= 3
    assert queue["VisibilityTimeout"] >= 6 * notifier["Timeout"]
    alarm = RESOURCES["NotificationDeadLetterAlarm"]["Properties"]
    assert alarm["Namespace"] == "AWS/SQS" and alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": ["NotificationDeadLetterQueue", "QueueName"]}}
    ]
    assert alarm["Threshold"] == 1 and alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    # The notifier answers item by item
    event = notifier["Events"]["NotificationEvents"]["Properties"]
    assert event["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    # Every publisher may only send to the queue, and names it in its environment
    for function in ("SubmissionFunction", "OfficerTasksFunction", "WorkflowFunction", "PerbaikanDeadlineFunction"):
        variables = RESOURCES[function]["Properties"]["Environment"]["Variables"]
        assert variables["NOTIFICATION_QUEUE_URL"] == {"Ref": "NotificationQueue"}, function
        sends = [s for s in _statements(function) if "sqs" in str(s["Action"])]
        assert sends == [
            {
                "Sid": "PublishNotificationEvents",
                "Effect": "Allow",
                "Action": "sqs:SendMessage",
                "Resource": {"Fn::GetAtt": ["NotificationQueue", "Arn"]},
            }
        ], function
    # The Inbox routes read and update the inbox table only, never scan it
    inbox = [s for s in _statements("InboxFunction") if s["Resource"] == {"Fn::GetAtt": ["InboxTable", "Arn"]}]
    assert inbox and not any("Scan" in str(s["Action"]) for s in _statements("InboxFunction"))
    assert not any("Scan" in str(s["Action"]) for s in _statements("NotifierFunction"))


# ------------------------------------------------------------------ least privilege


def _all_function_statements() -> dict[str, list[dict]]:
    return {name: _statements(name) for name in of_type("AWS::Serverless::Function")}


def test_every_function_policy_is_written_out_action_by_action():
    # SAM's policy templates (DynamoDBCrudPolicy, SQSSendMessagePolicy, ...) grant Scan,
    # BatchWriteItem and DeleteItem on every table and index whatever the code needs.
    for name, function in of_type("AWS::Serverless::Function").items():
        for policy in function["Properties"].get("Policies", []):
            assert set(policy) == {"Statement"}, f"{name}: {sorted(policy)} is a policy template"
    for name, statements in _all_function_statements().items():
        for statement in statements:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert not [a for a in actions if "*" in a or a == "dynamodb:Scan"], f"{name}: {statement}"


def test_email_is_sent_only_as_the_office_sender():
    sender = {"Ref": "SesSenderEmail"}
    senders = []
    for name, statements in _all_function_statements().items():
        for statement in statements:
            if "ses:" not in str(statement["Action"]) or statement["Effect"] != "Allow":
                continue
            senders.append(name)
            assert statement["Condition"] == {"StringEquals": {"ses:FromAddress": sender}}, name
            identity, domain = statement["Resource"]
            assert identity["Fn::Sub"].endswith(":identity/${SesSenderEmail}"), name
            assert domain["Fn::Sub"][0].endswith(":identity/${Domain}"), name
            assert domain["Fn::Sub"][1]["Domain"] == {"Fn::Select": [1, {"Fn::Split": ["@", sender]}]}, name
    assert {"PasswordResetWorkerFunction", "ProfileFunction", "NotifierFunction"} <= set(senders)
    # The public auth function sends nothing itself: its codes go through the code worker's queue.
    assert "AuthFunction" not in senders


def test_files_function_writes_only_uploads_and_reads_only_checked_files():
    s3 = {}
    for statement in _statements("FilesFunction"):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        for action in actions:
            if action.startswith("s3:"):
                s3.setdefault(action, []).append(
                    statement["Resource"]["Fn::Sub"]
                    if "Fn::Sub" in str(statement["Resource"])
                    else statement["Resource"]
                )
    assert s3["s3:PutObject"] == ["${DocumentsBucket.Arn}/incoming/*"]
    assert s3["s3:GetObject"] == ["${DocumentsBucket.Arn}/files/*"]
    # The accounts table is only read (the session check) by the files and applications functions.
    for function in ("FilesFunction", "ApplicationsFunction"):
        on_accounts = [s for s in _statements(function) if s["Resource"] == {"Fn::GetAtt": ["AccountsTable", "Arn"]}]
        assert [s["Action"] for s in on_accounts] == [["dynamodb:GetItem", "dynamodb:BatchGetItem"]], function


# ------------------------------------------------------------------ what a flood would cost

EDGE = template.load_sam_template(template.ROOT / "edge.yaml")


def test_sms_spend_alarm_calls_the_operator_at_80_percent_of_the_monthly_limit():
    (alarm,) = [
        a["Properties"]
        for a in of_type("AWS::CloudWatch::Alarm").values()
        if "SMSMonthToDateSpentUSD" in str(a["Properties"].get("Metrics"))
    ]
    spend, percent = alarm["Metrics"]
    assert spend["MetricStat"]["Metric"] == {"Namespace": "AWS/SNS", "MetricName": "SMSMonthToDateSpentUSD"}
    assert percent["Expression"] == {"Fn::Sub": "100 * spend / ${SmsMonthlySpendLimitUsd}"}
    assert alarm["Threshold"] == 80 and alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_functions_in_front_of_ses_sns_and_pillow_reserve_their_concurrency():
    assert RESOURCES["AuthFunction"]["Properties"]["ReservedConcurrentExecutions"] == {"Ref": "AuthReservedConcurrency"}
    assert RESOURCES["UploadCheckFunction"]["Properties"]["ReservedConcurrentExecutions"] == {
        "Ref": "UploadCheckReservedConcurrency"
    }
    for name in ("AuthReservedConcurrency", "UploadCheckReservedConcurrency"):
        assert SAM["Parameters"][name]["MinValue"] >= 1  # 0 would refuse every request


def test_auth_and_presign_routes_have_limits_of_their_own():
    settings = RESOURCES["HttpApi"]["Properties"]["RouteSettings"]
    auth = {f"{r.method} {r.path}" for f in FUNCTIONS if f.logical_id == "AuthFunction" for r in f.routes}
    auth |= {"POST /api/officer/auth/login", "POST /api/officer/auth/mfa"}  # the officers' public steps
    assert set(settings) == auth | {"POST /api/files/presign"}
    for route in auth:
        assert settings[route] == {
            "ThrottlingRateLimit": {"Ref": "AuthThrottlingRateLimit"},
            "ThrottlingBurstLimit": {"Ref": "AuthThrottlingBurstLimit"},
        }, route
    assert settings["POST /api/files/presign"]["ThrottlingRateLimit"] == {"Ref": "PresignThrottlingRateLimit"}
    defaults = SAM["Parameters"]
    assert defaults["AuthThrottlingRateLimit"]["Default"] < defaults["ApiThrottlingRateLimit"]["Default"]


def test_the_optional_web_acl_has_managed_rules_and_per_ip_rate_rules():
    (acl,) = [r["Properties"] for r in EDGE["Resources"].values() if r["Type"] == "AWS::WAFv2::WebACL"]
    assert acl["Scope"] == "CLOUDFRONT"
    rules = acl["Rules"]
    managed = {
        r["Statement"]["ManagedRuleGroupStatement"]["Name"] for r in rules if "ManagedRuleGroupStatement" in str(r)
    }
    assert managed == {
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAmazonIpReputationList",
    }
    rate = {
        r["Statement"]["RateBasedStatement"]["ScopeDownStatement"]["ByteMatchStatement"]["SearchString"]: r
        for r in rules
        if "RateBasedStatement" in r["Statement"]
    }
    assert set(rate) == {"/api/auth/", "/api/files/presign", "/tiles/"}
    assert all(r["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP" for r in rate.values())
    assert all(r["Action"] == {"Block": {}} for r in rate.values())
    assert len({r["Priority"] for r in rules}) == len(rules)
    # The main stack attaches it when the office gives its ARN, and only then.
    config = RESOURCES["Distribution"]["Properties"]["DistributionConfig"]
    assert config["WebACLId"] == {"Fn::If": ["HasWebAcl", {"Ref": "WebAclArn"}, {"Ref": "AWS::NoValue"}]}
    assert SAM["Conditions"]["HasWebAcl"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "WebAclArn"}, ""]}]}


def test_with_an_api_domain_only_cloudfront_reaches_the_api():
    api = RESOURCES["HttpApi"]["Properties"]
    assert api["DisableExecuteApiEndpoint"] == {"Fn::If": ["HasApiDomain", True, False]}
    (origin,) = [
        o for o in RESOURCES["Distribution"]["Properties"]["DistributionConfig"]["Origins"] if o["Id"] == "api"
    ]
    assert origin["DomainName"]["Fn::If"][:2] == ["HasApiDomain", {"Ref": "ApiDomainName"}]
    assert origin["CustomOriginConfig"]["OriginSSLProtocols"] == ["TLSv1.2"]
    domain = RESOURCES["ApiDomain"]
    assert domain["Condition"] == "HasApiDomain"
    (configuration,) = domain["Properties"]["DomainNameConfigurations"]
    assert configuration["SecurityPolicy"] == "TLS_1_2" and configuration["EndpointType"] == "REGIONAL"
    assert RESOURCES["ApiDomainMapping"]["Properties"]["ApiId"] == {"Ref": "HttpApi"}


# ------------------------------------------------------------------ operated


def _alarms() -> dict[str, dict]:
    return {name: a["Properties"] for name, a in of_type("AWS::CloudWatch::Alarm").items()}


def dims(dimensions: list | None) -> str:
    return json.dumps(dimensions, sort_keys=True)


def _metrics_of(alarm: dict) -> list[dict]:
    """(namespace, metric name, dimensions) of a plain or a metric-math alarm."""
    if "MetricName" in alarm:
        return [{"Namespace": alarm["Namespace"], "MetricName": alarm["MetricName"], **alarm}]
    return [m["MetricStat"]["Metric"] for m in alarm["Metrics"] if "MetricStat" in m]


def test_every_function_logs_to_its_own_group_kept_for_the_retention_parameter():
    for name, function in of_type("AWS::Serverless::Function").items():
        group = function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert RESOURCES[group]["Type"] == "AWS::Logs::LogGroup", name
    groups = of_type("AWS::Logs::LogGroup")
    assert {n: g["Properties"]["RetentionInDays"] for n, g in groups.items()} == {
        key: {"Ref": "LogRetentionDays"} for key in groups
    }
    # Named from the stack: a second office's stack has its own.
    named = [g["Properties"]["LogGroupName"]["Fn::Sub"] for g in groups.values() if "LogGroupName" in g["Properties"]]
    assert named and all(n.startswith("/aws/lambda/${AWS::StackName}/") for n in named)


def test_every_alarm_calls_the_operator_through_one_topic():
    alarms = _alarms()
    assert {n: a.get("AlarmActions") for n, a in alarms.items()} == {key: [{"Ref": "AlarmTopic"}] for key in alarms}
    topic = RESOURCES["AlarmTopic"]["Properties"]
    assert topic["Subscription"]["Fn::If"][0] == "HasAlarmEmail"
    (subscription,) = topic["Subscription"]["Fn::If"][1]
    assert subscription == {"Endpoint": {"Ref": "AlarmEmail"}, "Protocol": "email"}


def test_alarms_watch_the_api_functions_tables_queues_and_mail():
    watched = {
        (m["Namespace"], m["MetricName"], dims(m.get("Dimensions"))) for a in _alarms().values() for m in _metrics_of(a)
    }
    assert ("AWS/ApiGateway", "5xx", dims([{"Name": "ApiId", "Value": {"Ref": "HttpApi"}}])) in watched
    for function in of_type("AWS::Serverless::Function"):
        dimensions = dims([{"Name": "FunctionName", "Value": {"Ref": function}}])
        assert ("AWS/Lambda", "Errors", dimensions) in watched, function
    # Throttles: the account's (the concurrency every function shares), and each function's own
    # where it reserves concurrency.
    assert ("AWS/Lambda", "Throttles", dims(None)) in watched
    for function in ("AuthFunction", "UploadCheckFunction"):
        assert ("AWS/Lambda", "Throttles", dims([{"Name": "FunctionName", "Value": {"Ref": function}}])) in watched
    for table in of_type("AWS::DynamoDB::Table"):
        dimensions = dims([{"Name": "TableName", "Value": {"Ref": table}}])
        assert ("AWS/DynamoDB", "WriteThrottleEvents", dimensions) in watched, table
    dead_letters = {
        q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for q in of_type("AWS::SQS::Queue").values()
        if "RedrivePolicy" in q["Properties"]
    } | {
        f["Properties"]["EventInvokeConfig"]["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
        for f in of_type("AWS::Serverless::Function").values()
        if "EventInvokeConfig" in f["Properties"]
    }
    assert {"PasswordResetDeadLetterQueue", "NotificationDeadLetterQueue", "UploadCheckFailedQueue"} <= dead_letters
    for queue in dead_letters:
        dimensions = dims([{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue, "QueueName"]}}])
        assert ("AWS/SQS", "ApproximateNumberOfMessagesVisible", dimensions) in watched, queue
    assert ("AWS/SES", "Reputation.BounceRate", dims(None)) in watched
    assert ("AWS/SES", "Reputation.ComplaintRate", dims(None)) in watched
    assert ("AWS/SNS", "SMSMonthToDateSpentUSD", dims(None)) in watched


def test_every_function_deploys_gradually_and_rolls_back_on_its_alarms():
    globals_ = SAM["Globals"]["Function"]
    assert globals_["AutoPublishAlias"] == "live"
    assert globals_["DeploymentPreference"]["Type"] == {"Ref": "DeploymentType"}
    assert SAM["Parameters"]["DeploymentType"]["Default"].startswith("Canary")
    assert globals_["DeploymentPreference"]["Alarms"] == [{"Ref": "ApiErrorsAlarm"}]
    alarms = _alarms()
    for name, function in of_type("AWS::Serverless::Function").items():
        (own,) = function["Properties"]["DeploymentPreference"]["Alarms"]
        metrics = _metrics_of(alarms[own["Ref"]])
        reserved = "ReservedConcurrentExecutions" in function["Properties"]
        assert {m["MetricName"] for m in metrics} == ({"Errors", "Throttles"} if reserved else {"Errors"}), name
        assert all(m["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": name}}] for m in metrics), name
    # The state machine calls the live aliases too, not $LATEST.
    substitutions = RESOURCES["ApprovalStateMachine"]["Properties"]["DefinitionSubstitutions"]
    assert substitutions == {
        "WorkflowFunctionArn": {"Ref": "WorkflowFunction.Alias"},
        "IssuanceFunctionArn": {"Ref": "IssuanceFunction.Alias"},
    }


# ------------------------------------------------------------------ a second office beside the first

NAME_PROPERTIES = {
    "Name",
    "BucketName",
    "AlarmName",
    "UserPoolName",
    "ClientName",
    "AliasName",
    "TopicName",
    "LogGroupName",
}


def _names(node, path=""):
    """(path, value) of every name property written as text or !Sub (not !GetAtt, a reference)."""
    if isinstance(node, dict):
        for key, value in node.items():
            literal = isinstance(value, str) or (isinstance(value, dict) and set(value) == {"Fn::Sub"})
            if key in NAME_PROPERTIES and literal:
                yield f"{path}.{key}", value
            else:
                yield from _names(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _names(item, f"{path}[{index}]")


def test_every_named_resource_is_named_from_the_stack():
    # Two stacks (Kalimantan Utara and Kalimantan Timur, or prod and staging) in one account
    # and region must not claim the same bucket, policy, function, alarm or pool name.
    names = {
        f"{resource}{path}": value
        for resource, r in RESOURCES.items()
        if r["Type"] != "AWS::Cognito::UserPoolGroup"  # group names live inside each stack's pool
        for path, value in _names(r.get("Properties", {}))
        if not any(
            part in path for part in (".Events", "Rules[", "Metrics[", "Dimensions[", "RecoveryMechanisms[", "Schema[")
        )
    }
    assert names
    unnamed = {k: v for k, v in names.items() if "${AWS::StackName}" not in str(v)}
    assert unnamed == {}
    # Bucket names are lowercase and at most 63 characters: so is the stack's name (samconfig).
    stack_name = re.search(r'stack_name = "([^"]+)"', (template.ROOT / "samconfig.toml").read_text()).group(1)
    assert re.fullmatch(r"[a-z][a-z0-9-]{0,19}", stack_name)


# ------------------------------------------------------------------ traceable


def test_api_access_log_traces_each_request_to_its_route_outcome_and_caller():
    settings = RESOURCES["HttpApi"]["Properties"]["AccessLogSettings"]
    line = json.loads(settings["Format"])
    assert {
        "method": "$context.httpMethod",
        "path": "$context.path",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "integrationLatency": "$context.integrationLatency",
        "integrationError": "$context.integrationErrorMessage",
        "authorizerError": "$context.authorizer.error",
        "sub": "$context.authorizer.claims.sub",
    }.items() <= line.items()


def test_document_reads_and_cloudfront_requests_are_logged():
    logging = RESOURCES["DocumentsBucket"]["Properties"]["LoggingConfiguration"]
    assert logging["DestinationBucketName"] == {"Ref": "DocumentsAccessLogsBucket"}
    logs = RESOURCES["DocumentsAccessLogsBucket"]["Properties"]
    assert logs["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == {"Ref": "LogRetentionDays"}
    statements = RESOURCES["DocumentsAccessLogsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert any(s.get("Principal") == {"Service": "logging.s3.amazonaws.com"} for s in statements)
    config = RESOURCES["Distribution"]["Properties"]["DistributionConfig"]
    condition, logging, otherwise = config["Logging"]["Fn::If"]
    assert condition == "HasCloudFrontLogs" and otherwise == {"Ref": "AWS::NoValue"}
    assert logging["Bucket"] == {"Ref": "CloudFrontLogsBucket"} and logging["IncludeCookies"] is False
    # The edge stack (us-east-1) makes that bucket: CloudFront delivers no logs to Jakarta.
    assert EDGE["Outputs"]["CloudFrontLogsBucket"]["Value"] == {"Fn::GetAtt": ["AccessLogsBucket", "DomainName"]}


def test_with_a_site_domain_viewers_need_tls_1_2_and_its_acm_certificate():
    config = RESOURCES["Distribution"]["Properties"]["DistributionConfig"]
    condition, custom, default = config["ViewerCertificate"]["Fn::If"]
    assert condition == "HasSiteDomain"
    assert custom == {
        "AcmCertificateArn": {"Ref": "SiteCertificateArn"},
        "SslSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }
    assert default == {"CloudFrontDefaultCertificate": True}
    assert config["Aliases"] == {"Fn::If": ["HasSiteDomain", [{"Ref": "SiteDomainName"}], {"Ref": "AWS::NoValue"}]}
    assert "us-east-1" in SAM["Parameters"]["SiteCertificateArn"]["AllowedPattern"]


def test_the_readme_tells_an_office_every_parameter_it_sets():
    readme = (template.ROOT / "README.md").read_text()
    deploying = readme[readme.index("## Deploying to AWS") :]
    deploying = deploying[: deploying.index("\n## ", 5)] if "\n## " in deploying[5:] else deploying
    for parameters in (SAM["Parameters"], EDGE["Parameters"]):
        missing = [name for name in parameters if f"`{name}`" not in deploying and f"`{name}/" not in deploying]
        assert missing == [], "README's Deploying to AWS does not name: " + ", ".join(missing)
    for words in ("second office", "sandbox", "edge.yaml"):
        assert words in deploying


def _cognito_resources(function: str) -> set[str]:
    """The user pools a function's policies name (by logical id)."""
    pools = set()
    policies = RESOURCES[function]["Properties"].get("Policies") or [{"Statement": []}]
    for statement in policies[0]["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if any(a.startswith("cognito-idp:") for a in actions):
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            pools |= {r["Fn::GetAtt"][0] for r in resources}
    return pools


def test_officers_sign_in_to_a_pool_of_their_own_with_totp_and_longer_passwords():
    pool = RESOURCES["OfficerUserPool"]["Properties"]
    assert pool["MfaConfiguration"] == "ON" and pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] >= 12 and policy["RequireUppercase"] and policy["RequireLowercase"]
    assert pool["DeletionProtection"] == "ACTIVE" and pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"]
    client = RESOURCES["OfficerUserPoolClient"]["Properties"]
    assert client["UserPoolId"] == {"Ref": "OfficerUserPool"}
    units = client["TokenValidityUnits"]
    assert units["AccessToken"] == "minutes" and client["AccessTokenValidity"] <= 60
    assert units["RefreshToken"] == "minutes" and client["RefreshTokenValidity"] <= 60
    # Every officer role is a group of the officers' pool; the applicants' pool has only pemohon.
    groups = {
        r["Properties"]["GroupName"]: r["Properties"]["UserPoolId"]["Ref"]
        for r in of_type("AWS::Cognito::UserPoolGroup").values()
    }
    assert groups == {
        "pemohon": "UserPool",
        **dict.fromkeys(("verifikator", "teknis", "kepala", "admin"), "OfficerUserPool"),
    }


def test_officer_routes_take_only_officers_tokens():
    authorizers = RESOURCES["HttpApi"]["Properties"]["Auth"]["Authorizers"]
    assert authorizers["OfficerAuthorizer"]["JwtConfiguration"]["audience"] == [{"Ref": "OfficerUserPoolClient"}]
    assert "${OfficerUserPool}" in authorizers["OfficerAuthorizer"]["JwtConfiguration"]["issuer"]["Fn::Sub"]
    public = {"POST /api/officer/auth/login", "POST /api/officer/auth/mfa"}
    for spec in FUNCTIONS:
        for route in spec.routes:
            officer_route = route.path.startswith(("/api/officer/", "/api/admin/"))
            if route.route_key in public:
                assert route.authorizer is None, route.route_key
            elif officer_route:
                assert route.authorizer == "OfficerAuthorizer", route.route_key
            else:
                assert route.authorizer in (None, "CognitoAuthorizer"), route.route_key


def test_only_the_officer_functions_have_rights_over_the_officers_pool():
    holders = {spec.logical_id for spec in FUNCTIONS if "OfficerUserPool" in _cognito_resources(spec.logical_id)}
    # Creating officers (admin), signing them in, and e-mailing a role's officers.
    assert holders == {"OfficersFunction", "OfficerAuthFunction", "NotifierFunction"}
    assert _cognito_resources("AuthFunction") == {"UserPool"}
    assert _cognito_resources("NotifierFunction") == {"OfficerUserPool"}
    notifier = [
        s
        for s in RESOURCES["NotifierFunction"]["Properties"]["Policies"][0]["Statement"]
        if "cognito" in str(s["Action"])
    ]
    assert [s["Action"] for s in notifier] == ["cognito-idp:ListUsersInGroup"]


def test_both_user_pools_are_on_the_lite_plan():
    for name in ("UserPool", "OfficerUserPool"):
        assert RESOURCES[name]["Properties"]["UserPoolTier"] == "LITE", name

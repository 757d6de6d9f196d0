"""template.yaml: lint-clean, within CloudFormation's limits, least privilege, every route wired to a handler."""

from __future__ import annotations

import ast
import copy
import json
import os
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from cfnlint.api import ManualArgs, lint_file
from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_PATH = ROOT / "template.yaml"
SAMCONFIG_PATH = ROOT / "samconfig.toml"
FUNCTIONS_DIR = ROOT / "functions"

CLOUDFORMATION_RESOURCE_LIMIT = 500
SHARED_ROLES = {
    "ApiReadRole",
    "ApiWriteRole",
    "ApiExportRole",
    "AuditArchiveRole",
    "PageProjectionRole",
    "CommerceRole",
    "AnalyticsRollUpRole",
    "SearchReadRole",
    "SearchIndexRole",
}
# The routes that call Stripe: only their role reads the Stripe secrets.
_COMMERCE_ROUTES = ("/stripe-account", "/checkout", "/upsell", "/webhooks/stripe")
# The routes that read the search collection and embed a query.
_SEARCH_ROUTES = ("/search", "/similar-templates")
# GET routes read; the export also writes its CSV to S3.
_EXPORT_ROUTE = "/groups/{groupId}/funnels/{funnelId}/submissions/export"
READ_ACTIONS = {
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
    "secretsmanager:GetSecretValue",
}
WRITE_ACTIONS = {"dynamodb:TransactWriteItems", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
# AWS managed policies a shared role may carry: logs and traces, nothing on data.
ALLOWED_AWS_MANAGED_POLICIES = {"service-role/AWSLambdaBasicExecutionRole", "AWSXRayDaemonWriteAccess"}

# The routes of API.md implemented so far: (method, path) -> handler. More may be added freely.
CONTRACT_ROUTES = {
    ("GET", "/me"): "me.get",
    ("POST", "/groups"): "groups.create",
    ("GET", "/groups"): "groups.list",
    ("GET", "/groups/{groupId}"): "groups.get",
    ("PATCH", "/groups/{groupId}"): "groups.update",
    ("DELETE", "/groups/{groupId}"): "groups.archive",
    ("GET", "/groups/{groupId}/children"): "groups.list_children",
    ("GET", "/groups/{groupId}/members"): "members.list",
    ("PUT", "/groups/{groupId}/members/{personId}"): "members.put",
    ("DELETE", "/groups/{groupId}/members/{personId}"): "members.remove",
    ("POST", "/groups/{groupId}/things"): "things.create",
    ("GET", "/groups/{groupId}/things"): "things.list",
    ("GET", "/groups/{groupId}/things/{thingId}"): "things.get",
    ("PATCH", "/groups/{groupId}/things/{thingId}"): "things.update",
    ("DELETE", "/groups/{groupId}/things/{thingId}"): "things.archive",
    ("POST", "/groups/{groupId}/connections"): "connections.create",
    ("GET", "/groups/{groupId}/things/{thingId}/connections"): "connections.list",
    ("DELETE", "/groups/{groupId}/connections/{connectionId}"): "connections.end",
    ("GET", "/groups/{groupId}/events"): "audit.list_events",
    ("POST", "/groups/{groupId}/knowledge"): "knowledge.create",
    ("GET", "/groups/{groupId}/knowledge"): "knowledge.list",
    ("DELETE", "/groups/{groupId}/knowledge/{knowledgeId}"): "knowledge.delete",
    ("POST", "/groups/{groupId}/funnels"): "funnels.create",
    ("GET", "/groups/{groupId}/funnels"): "funnels.list",
    ("GET", "/groups/{groupId}/funnels/{funnelId}"): "funnels.get",
    ("GET", "/groups/{groupId}/funnels/{funnelId}/analytics"): "analytics.get",
    ("GET", "/groups/{groupId}/funnels/{funnelId}/analytics/chart.svg"): "analytics.chart",
    ("PATCH", "/groups/{groupId}/funnels/{funnelId}"): "funnels.update",
    ("DELETE", "/groups/{groupId}/funnels/{funnelId}"): "funnels.archive",
    ("POST", "/groups/{groupId}/funnels/{funnelId}/steps"): "steps.create",
    ("GET", "/groups/{groupId}/funnels/{funnelId}/steps/{stepId}"): "steps.get",
    ("PATCH", "/groups/{groupId}/funnels/{funnelId}/steps/{stepId}"): "steps.update",
    ("DELETE", "/groups/{groupId}/funnels/{funnelId}/steps/{stepId}"): "steps.remove",
    ("PUT", "/groups/{groupId}/funnels/{funnelId}/step-order"): "steps.reorder",
    ("POST", "/groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements"): "elements.create",
    ("PATCH", "/groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements/{elementId}"): "elements.update",
    ("DELETE", "/groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements/{elementId}"): "elements.remove",
    ("PUT", "/groups/{groupId}/funnels/{funnelId}/steps/{stepId}/element-order"): "elements.reorder",
    ("POST", "/groups/{groupId}/funnels/{funnelId}/publish"): "publishing.publish",
    ("POST", "/groups/{groupId}/funnels/{funnelId}/duplicate"): "funnels.duplicate",
    ("PUT", "/groups/{groupId}/funnels/{funnelId}/assignees/{personId}"): "assignees.put",
    ("DELETE", "/groups/{groupId}/funnels/{funnelId}/assignees/{personId}"): "assignees.remove",
    ("GET", "/templates"): "templates.list_system",
    ("GET", "/groups/{groupId}/templates"): "templates.list",
    ("POST", "/groups/{groupId}/templates"): "templates.save",
    ("POST", "/groups/{groupId}/funnels/{funnelId}/unpublish"): "publishing.unpublish",
    ("GET", "/groups/{groupId}/funnels/{funnelId}/versions"): "publishing.list_versions",
    ("GET", "/groups/{groupId}/funnels/{funnelId}/versions/{n}"): "publishing.get_version",
    ("POST", "/groups/{groupId}/funnels/{funnelId}/versions/{n}/restore"): "publishing.restore",
}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return yaml_parse(TEMPLATE_PATH.read_text())


@pytest.fixture(scope="module")
def resources(template: dict[str, Any]) -> dict[str, Any]:
    return template["Resources"]


@pytest.fixture(scope="module")
def functions(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: r["Properties"] for name, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}


@pytest.fixture(scope="module")
def api_routes(functions: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(function, METHOD, path) of every HttpApi event."""
    return [
        (name, event["Properties"]["Method"].upper(), event["Properties"]["Path"])
        for name, props in functions.items()
        for event in props.get("Events", {}).values()
        if event["Type"] == "HttpApi"
    ]


@pytest.fixture(scope="module")
def transformed(template: dict[str, Any]) -> dict[str, Any]:
    """The template as CloudFormation receives it after the AWS::Serverless transform."""
    sam_template = copy.deepcopy(template)
    # The translator only accepts S3 code locations; `sam package` puts them there on deploy.
    sam_template["Globals"]["Function"]["CodeUri"] = "s3://artifacts/functions.zip"
    for resource in sam_template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::LayerVersion":
            resource["Properties"]["ContentUri"] = "s3://artifacts/layer.zip"
    # Every managed policy is referenced by ARN, so the translator never needs IAM's list.
    policy_loader = mock.Mock(spec=ManagedPolicyLoader)
    policy_loader.load.return_value = {}
    with mock.patch.dict(os.environ, {"AWS_DEFAULT_REGION": "us-east-1"}):
        return transform(sam_template, {}, policy_loader)


def _role_name(role: Any) -> str:
    assert isinstance(role, dict), f"Role must reference a role of the template, got {role!r}"
    assert "Fn::GetAtt" in role, f"Role must be !GetAtt <Role>.Arn, got {role!r}"
    target = role["Fn::GetAtt"]
    name, attribute = target.split(".", 1) if isinstance(target, str) else target
    assert attribute == "Arn"
    return name


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(resources: dict[str, Any], role_name: str) -> Iterator[dict[str, Any]]:
    """Every Allow/Deny statement a role gets: its inline policies and the template's managed policies it attaches."""
    role = resources[role_name]["Properties"]
    for policy in role.get("Policies", []):
        yield from _as_list(policy["PolicyDocument"]["Statement"])
    for arn in role.get("ManagedPolicyArns", []):
        if isinstance(arn, dict) and "Ref" in arn:
            yield from _as_list(resources[arn["Ref"]]["Properties"]["PolicyDocument"]["Statement"])


def _aws_managed_policies(resources: dict[str, Any], role_name: str) -> set[str]:
    names = set()
    for arn in resources[role_name]["Properties"].get("ManagedPolicyArns", []):
        if isinstance(arn, dict) and "Fn::Sub" in arn:
            names.add(arn["Fn::Sub"].split(":policy/", 1)[1])
    return names


def _allowed_actions(resources: dict[str, Any], role_name: str) -> set[str]:
    return {
        action
        for statement in _statements(resources, role_name)
        if statement["Effect"] == "Allow"
        for action in _as_list(statement["Action"])
    }


def _defines(module: Path, name: str) -> bool:
    for node in ast.parse(module.read_text(), filename=str(module)).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return True
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return True
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            return True
        if isinstance(node, ast.ImportFrom) and any((alias.asname or alias.name) == name for alias in node.names):
            return True
    return False


def test_cfn_lint_finds_no_errors_or_warnings() -> None:
    deploy_regions = sorted(
        {
            env["global"]["parameters"]["region"]
            for env in tomllib.loads(SAMCONFIG_PATH.read_text()).values()
            if isinstance(env, dict)
        }
    )

    matches = lint_file(TEMPLATE_PATH, config=ManualArgs(regions=deploy_regions))

    problems = [str(m) for m in matches if m.rule.id[0] in "EW"]
    assert not problems, "\n".join(problems)


def test_transformed_stack_stays_under_the_resource_limit(
    transformed: dict[str, Any], capsys: pytest.CaptureFixture[str], record_property: Any
) -> None:
    counts = Counter(resource["Type"] for resource in transformed["Resources"].values())
    total = sum(counts.values())

    record_property("cloudformation_resources", total)
    with capsys.disabled():
        print(f"\n[template] {total} CloudFormation resources after the SAM transform: {dict(counts.most_common())}")
    assert total < CLOUDFORMATION_RESOURCE_LIMIT


def test_sam_creates_no_role_of_its_own(transformed: dict[str, Any]) -> None:
    roles = {name for name, r in transformed["Resources"].items() if r["Type"] == "AWS::IAM::Role"}

    assert roles == SHARED_ROLES


def test_every_function_uses_a_shared_role_by_access_level(
    functions: dict[str, dict[str, Any]], api_routes: list[tuple[str, str, str]]
) -> None:
    for name, props in functions.items():
        assert "Policies" not in props, f"{name}: give it a shared role instead of its own policies"
        assert _role_name(props.get("Role")) in SHARED_ROLES, name

    for name, method, path in api_routes:
        if path == _EXPORT_ROUTE:
            expected = "ApiExportRole"
        elif path.endswith(_COMMERCE_ROUTES):
            expected = "CommerceRole"
        elif path.endswith(_SEARCH_ROUTES):
            expected = "SearchReadRole"
        else:
            expected = "ApiReadRole" if method == "GET" else "ApiWriteRole"
        assert _role_name(functions[name]["Role"]) == expected, f"{name} ({method} {path})"


def test_read_role_cannot_write(resources: dict[str, Any]) -> None:
    actions = _allowed_actions(resources, "ApiReadRole")

    assert actions <= READ_ACTIONS, f"not read-only: {sorted(actions - READ_ACTIONS)}"
    assert _aws_managed_policies(resources, "ApiReadRole") <= ALLOWED_AWS_MANAGED_POLICIES


def test_write_role_can_read_and_write_the_table_only(resources: dict[str, Any]) -> None:
    actions = _allowed_actions(resources, "ApiWriteRole")

    assert actions == READ_ACTIONS | WRITE_ACTIONS
    assert _aws_managed_policies(resources, "ApiWriteRole") <= ALLOWED_AWS_MANAGED_POLICIES
    for statement in _statements(resources, "ApiWriteRole"):
        if set(_as_list(statement["Action"])) & WRITE_ACTIONS:
            assert statement["Resource"] == {"Fn::GetAtt": ["OntologyTable", "Arn"]}


def test_only_the_commerce_role_reads_the_stripe_secrets(resources: dict[str, Any]) -> None:
    stripe_secrets = [{"Ref": "StripeSecretKeyArn"}, {"Ref": "StripeWebhookSecretArn"}]
    readers = [
        role
        for role in SHARED_ROLES
        for statement in _statements(resources, role)
        if "secretsmanager:GetSecretValue" in _as_list(statement["Action"])
        and any(secret in _as_list(statement["Resource"]) for secret in stripe_secrets)
    ]
    assert readers == ["CommerceRole"]
    assert _allowed_actions(resources, "CommerceRole") == READ_ACTIONS | WRITE_ACTIONS
    for statement in _statements(resources, "CommerceRole"):
        if set(_as_list(statement["Action"])) & WRITE_ACTIONS:
            assert statement["Resource"] == {"Fn::GetAtt": ["OntologyTable", "Arn"]}


def test_audit_archive_role_reads_the_stream_and_writes_only_archive_objects_and_counters(
    resources: dict[str, Any],
) -> None:
    statements = list(_statements(resources, "AuditArchiveRole"))
    by_action = {action: statement["Resource"] for statement in statements for action in _as_list(statement["Action"])}

    assert set(by_action) == {
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:Query",
        "s3:PutObject",
        "sqs:SendMessage",
    }
    # Of the table, it reads groups (their time zones, their A/B tests), and reads and writes
    # only the analytics items (the counters, a visitor's exposures to A/B tests).
    leading = {
        action: statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
        for statement in statements
        for action in _as_list(statement["Action"])
        if action in ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query")
    }
    assert leading == {
        "dynamodb:GetItem": ["GROUP#*"],
        "dynamodb:PutItem": ["ANALYTICS#*"],
        "dynamodb:UpdateItem": ["ANALYTICS#*"],
        "dynamodb:Query": ["ANALYTICS#*"],
    }
    assert by_action["dynamodb:GetRecords"] == {"Fn::GetAtt": ["OntologyTable", "StreamArn"]}
    assert by_action["s3:PutObject"] == {"Fn::Sub": "${AuditArchiveBucket.Arn}/*"}
    assert by_action["sqs:SendMessage"] == {"Fn::GetAtt": ["AuditArchiveDLQ", "Arn"]}
    assert _aws_managed_policies(resources, "AuditArchiveRole") <= ALLOWED_AWS_MANAGED_POLICIES


def test_the_roll_up_role_reads_and_puts_only_its_things_and_events(resources: dict[str, Any]) -> None:
    writes = [
        statement
        for statement in _statements(resources, "AnalyticsRollUpRole")
        if set(_as_list(statement["Action"])) - READ_ACTIONS
    ]
    assert [_as_list(statement["Action"]) for statement in writes] == [["dynamodb:PutItem"], ["dynamodb:UpdateItem"]]
    put, looks = writes
    assert put["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"] == ["GROUP#*", "EVENTS#*"]
    # A running A/B test's looks, kept with the analytics.
    assert looks["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"] == ["ANALYTICS#*"]
    assert _aws_managed_policies(resources, "AnalyticsRollUpRole") <= ALLOWED_AWS_MANAGED_POLICIES


def test_the_roll_up_runs_on_a_schedule(functions: dict[str, dict[str, Any]]) -> None:
    [event] = functions["AnalyticsRollUpFunction"]["Events"].values()
    assert event["Type"] == "Schedule"
    assert event["Properties"]["Schedule"] == "rate(1 hour)"


def test_export_role_writes_only_exports(resources: dict[str, Any]) -> None:
    writes = [
        statement
        for statement in _statements(resources, "ApiExportRole")
        if "s3:PutObject" in _as_list(statement["Action"])
    ]
    assert _allowed_actions(resources, "ApiExportRole") == READ_ACTIONS | {"s3:PutObject", "s3:GetObject"}
    assert [statement["Resource"] for statement in writes] == [{"Fn::Sub": "${ExportsBucket.Arn}/exports/*"}]


def test_page_projection_role_reads_the_stream_and_writes_only_pages(resources: dict[str, Any]) -> None:
    statements = _statements(resources, "PageProjectionRole")
    writes = [statement for statement in statements if "dynamodb:PutItem" in _as_list(statement["Action"])]

    assert _allowed_actions(resources, "PageProjectionRole") >= {"dynamodb:GetRecords", "dynamodb:PutItem"}
    assert len(writes) == 1
    assert set(_as_list(writes[0]["Action"])) == {"dynamodb:PutItem", "dynamodb:DeleteItem"}
    assert writes[0]["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"] == ["PAGE#*", "GROUP#*"]
    assert _aws_managed_policies(resources, "PageProjectionRole") <= ALLOWED_AWS_MANAGED_POLICIES


def test_no_policy_grants_wildcard_actions(resources: dict[str, Any]) -> None:
    for role in SHARED_ROLES:
        for action in _allowed_actions(resources, role):
            assert "*" not in action, f"{role}: {action}"


def test_every_route_appears_exactly_once(api_routes: list[tuple[str, str, str]]) -> None:
    counts = Counter((method, path) for _, method, path in api_routes)

    assert {route: n for route, n in counts.items() if n > 1} == {}


def test_every_route_is_on_the_http_api(functions: dict[str, dict[str, Any]], transformed: dict[str, Any]) -> None:
    body = transformed["Resources"]["HttpApi"]["Properties"]["Body"]
    for name, props in functions.items():
        for event in props.get("Events", {}).values():
            if event["Type"] == "HttpApi":
                assert event["Properties"]["ApiId"] == {"Ref": "HttpApi"}, name
                method, path = event["Properties"]["Method"].lower(), event["Properties"]["Path"]
                assert method in body["paths"][path], f"{name}: {method} {path}"


def test_contract_routes_are_served_by_their_handlers(
    functions: dict[str, dict[str, Any]], api_routes: list[tuple[str, str, str]]
) -> None:
    served = {(method, path): functions[name]["Handler"].rsplit(".", 1)[0] for name, method, path in api_routes}

    assert {route: served.get(route) for route in CONTRACT_ROUTES} == CONTRACT_ROUTES


def test_routes_need_a_jwt_unless_marked_public(template: dict[str, Any], functions: dict[str, dict[str, Any]]) -> None:
    auth = template["Resources"]["HttpApi"]["Properties"]["Auth"]
    assert auth["DefaultAuthorizer"] == "JwtAuthorizer"
    assert auth["Authorizers"]["JwtAuthorizer"]["IdentitySource"] == "$request.header.Authorization"
    for name, props in functions.items():
        for event in props.get("Events", {}).values():
            authorizer = event.get("Properties", {}).get("Auth", {}).get("Authorizer", "JwtAuthorizer")
            public = event.get("Properties", {}).get("Path", "").startswith(("/p/", "/webhooks/"))
            assert authorizer == "JwtAuthorizer" or public, f"{name} opts out of the JWT authorizer"


def test_every_handler_points_at_an_existing_function(functions: dict[str, dict[str, Any]]) -> None:
    missing = []
    for name, props in functions.items():
        module, _, attribute = props["Handler"].rpartition(".")
        source = FUNCTIONS_DIR.joinpath(*module.split(".")).with_suffix(".py")
        if not source.is_file():
            missing.append(f"{name}: {source.relative_to(ROOT)} does not exist")
        elif not _defines(source, attribute):
            missing.append(f"{name}: {source.relative_to(ROOT)} defines no {attribute}")

    assert not missing, "\n".join(missing)


def test_globals_match_the_layer_and_configure_every_function(template: dict[str, Any]) -> None:
    function_globals = template["Globals"]["Function"]
    layer = template["Resources"]["FunnelCoreLayer"]

    assert [function_globals["Runtime"]] == layer["Properties"]["CompatibleRuntimes"]
    assert function_globals["Architectures"] == layer["Properties"]["CompatibleArchitectures"]
    assert function_globals["Layers"] == [{"Ref": "FunnelCoreLayer"}]
    assert layer["Metadata"]["BuildMethod"] == "makefile"
    assert function_globals["Tracing"] == "Active"
    assert function_globals["LoggingConfig"]["LogGroup"] == {"Ref": "FunctionsLogGroup"}
    assert function_globals["LoggingConfig"]["LogFormat"] == "JSON"
    assert set(function_globals["Environment"]["Variables"]) >= {
        "TABLE_NAME",
        "AUDIT_BUCKET_NAME",
        "CURSOR_SECRET_ARN",
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
        "POWERTOOLS_LOG_LEVEL",
        "STAGE",
    }


def test_ontology_table_design(resources: dict[str, Any]) -> None:
    table = resources["OntologyTable"]
    props = table["Properties"]
    attribute_types = {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]}

    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
    assert props["KeySchema"] == [
        {"AttributeName": "PK", "KeyType": "HASH"},
        {"AttributeName": "SK", "KeyType": "RANGE"},
    ]
    assert {index["IndexName"]: index["KeySchema"] for index in props["GlobalSecondaryIndexes"]} == {
        f"GSI{n}": [
            {"AttributeName": f"GSI{n}PK", "KeyType": "HASH"},
            {"AttributeName": f"GSI{n}SK", "KeyType": "RANGE"},
        ]
        for n in (1, 2, 3)
    }
    assert all(index["Projection"] == {"ProjectionType": "ALL"} for index in props["GlobalSecondaryIndexes"])
    assert set(attribute_types.values()) == {"S"}
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert props["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["DeletionProtectionEnabled"] == {"Fn::If": ["IsProd", True, False]}


def test_audit_archive_bucket_is_private_encrypted_and_tls_only(resources: dict[str, Any]) -> None:
    bucket = resources["AuditArchiveBucket"]
    props = bucket["Properties"]
    policy = resources["AuditArchiveBucketPolicy"]["Properties"]

    assert bucket["DeletionPolicy"] == bucket["UpdateReplacePolicy"] == "Retain"
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"][
        "SSEAlgorithm"
    ] in {"AES256", "aws:kms"}
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert set(props["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(props["PublicAccessBlockConfiguration"]) == 4
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert {"StorageClass": "GLACIER_IR", "TransitionInDays": 90} in props["LifecycleConfiguration"]["Rules"][0][
        "Transitions"
    ]
    assert policy["Bucket"] == {"Ref": "AuditArchiveBucket"}
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for s in policy["PolicyDocument"]["Statement"]
    )


def test_audit_archive_consumes_only_inserted_events_with_a_dead_letter_queue(
    functions: dict[str, dict[str, Any]], resources: dict[str, Any]
) -> None:
    (event,) = functions["AuditArchiveFunction"]["Events"].values()
    props = event["Properties"]

    assert event["Type"] == "DynamoDB"
    assert props["Stream"] == {"Fn::GetAtt": ["OntologyTable", "StreamArn"]}
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["BisectBatchOnFunctionError"] is True
    assert props["MaximumRetryAttempts"] == 5
    assert props["DestinationConfig"]["OnFailure"] == {
        "Type": "SQS",
        "Destination": {"Fn::GetAtt": ["AuditArchiveDLQ", "Arn"]},
    }
    assert resources["AuditArchiveDLQ"]["Properties"]["SqsManagedSseEnabled"] is True
    (pattern,) = (json.loads(f["Pattern"]) for f in props["FilterCriteria"]["Filters"])
    assert pattern == {"eventName": ["INSERT"], "dynamodb": {"Keys": {"PK": {"S": [{"prefix": "EVENTS#"}]}}}}


def test_the_audit_tables_partitions_are_where_the_archive_writes(resources: dict[str, Any]) -> None:
    from funnel_core.audit.archive import partition_prefix

    table = resources["AuditEventsTable"]["Properties"]["TableInput"]
    parameters = table["Parameters"]
    assert parameters["projection.enabled"] == "true"
    assert [key["Name"] for key in table["PartitionKeys"]] == ["groupid", "date"]
    location = parameters["storage.location.template"]["Fn::Sub"]
    assert location == "s3://${AuditArchiveBucket}/" + partition_prefix("${!groupid}", "${!date}")
    assert parameters["compressionType"] == "gzip"
    workgroup = resources["AuditWorkGroup"]["Properties"]["WorkGroupConfiguration"]
    assert workgroup["EnforceWorkGroupConfiguration"] is True
    assert workgroup["ResultConfiguration"]["OutputLocation"] == {"Fn::Sub": "s3://${AthenaResultsBucket}/results/"}

"""What ``template.yaml`` says about the table, the audit bucket, the routes and the stream.

The local stack reads everything from the template, never from a copy of it, so a GSI added
there, a route moved or a stream filter changed is what tests and ``make dev`` see next run.
Every function takes ``template_path`` so tests can point it at a small fixture template.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from local import REPO_ROOT

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

TEMPLATE_PATH = REPO_ROOT / "template.yaml"
TABLE_LOGICAL_ID = "OntologyTable"
AUDIT_BUCKET_LOGICAL_ID = "AuditArchiveBucket"
EXPORTS_BUCKET_LOGICAL_ID = "ExportsBucket"
HTTP_API_LOGICAL_ID = "HttpApi"
_FUNCTION_TYPE = "AWS::Serverless::Function"
_LAYER_TYPE = "AWS::Serverless::LayerVersion"
_NO_AUTHORIZER = "NONE"
# Lambda's defaults when neither the function nor the Globals section says otherwise.
_DEFAULT_MEMORY_MB = 128
_DEFAULT_TIMEOUT_SECONDS = 3

# What CreateTable accepts of AWS::DynamoDB::Table; the rest (SSE, PITR, deletion protection,
# tags, TTL, contributor insights) is either set by another call or means nothing locally.
_TABLE_KEYS = (
    "AttributeDefinitions",
    "KeySchema",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "BillingMode",
    "ProvisionedThroughput",
)
_INDEX_KEYS = ("IndexName", "KeySchema", "Projection", "ProvisionedThroughput")


class _CloudFormationLoader(yaml.SafeLoader):
    """A YAML loader that reads the short intrinsic tags (``!Ref``, ``!GetAtt`` ...) as their long form."""


def _intrinsic(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:
        raise yaml.constructor.ConstructorError(None, None, f"unexpected node for !{tag_suffix}", node.start_mark)
    if tag_suffix in ("Ref", "Condition"):
        return {tag_suffix: value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{tag_suffix}": value}


_CloudFormationLoader.add_multi_constructor("!", _intrinsic)


@lru_cache(maxsize=8)
def _load(path: Path, modified_ns: int) -> dict[str, Any]:
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_CloudFormationLoader)  # noqa: S506 - a SafeLoader subclass


def load_template(template_path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """The parsed template, cached until the file changes. Callers must not mutate it."""
    path = Path(template_path).resolve()
    return _load(path, path.stat().st_mtime_ns)


def _resources(template_path: Path) -> dict[str, Any]:
    return load_template(template_path).get("Resources") or {}


def _properties(template_path: Path, logical_id: str, resource_type: str) -> dict[str, Any]:
    resource = _resources(template_path).get(logical_id)
    if not resource or resource.get("Type") != resource_type:
        raise KeyError(f"{template_path} has no {resource_type} named {logical_id}")
    return resource.get("Properties") or {}


def has_resource(template_path: Path, logical_id: str) -> bool:
    return logical_id in _resources(template_path)


def _parameter_default(template_path: Path, value: Any) -> Any:
    """Resolve ``{"Ref": <parameter>}`` to the parameter's default, the value a plain deploy gets."""
    if not (isinstance(value, Mapping) and set(value) == {"Ref"}):
        return value
    parameter = (load_template(template_path).get("Parameters") or {}).get(value["Ref"])
    if parameter is None or "Default" not in parameter:
        raise ValueError(f"cannot resolve {value} locally")
    default = parameter["Default"]
    if parameter.get("Type") == "CommaDelimitedList":
        return [item.strip() for item in str(default).split(",")]
    return default


def _is_intrinsic(value: Any) -> bool:
    return (
        isinstance(value, Mapping)
        and len(value) == 1
        and (set(value) == {"Ref"} or next(iter(value)).startswith("Fn::"))
    )


def _string_list(template_path: Path, value: Any) -> tuple[str, ...]:
    """A string, a list, or parameter references in either, flattened to strings."""
    value = _parameter_default(template_path, value)
    if isinstance(value, list):
        return tuple(item for element in value for item in _string_list(template_path, element))
    return (str(value),)


# ---------------------------------------------------------------- table and bucket


def table_create_kwargs(table_name: str, *, template_path: Path = TEMPLATE_PATH, stream: bool = True) -> dict[str, Any]:
    """``CreateTable`` arguments for the template's table, under a local name; without its stream
    if not ``stream``."""
    properties = _properties(template_path, TABLE_LOGICAL_ID, "AWS::DynamoDB::Table")
    kwargs: dict[str, Any] = {"TableName": table_name}
    for key in _TABLE_KEYS:
        if key in properties:
            kwargs[key] = properties[key]
    for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if key in kwargs:
            kwargs[key] = [{name: index[name] for name in _INDEX_KEYS if name in index} for index in kwargs[key]]
    if stream and (specification := properties.get("StreamSpecification")):
        kwargs["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": specification["StreamViewType"]}
    # A plain-JSON deep copy: the cached template stays untouched whatever boto3 does to it.
    copied: dict[str, Any] = json.loads(json.dumps(kwargs))
    return copied


def table_ttl_attribute(*, template_path: Path = TEMPLATE_PATH) -> str | None:
    properties = _properties(template_path, TABLE_LOGICAL_ID, "AWS::DynamoDB::Table")
    ttl = properties.get("TimeToLiveSpecification") or {}
    return ttl.get("AttributeName") if ttl.get("Enabled", True) else None


def create_table(
    client: DynamoDBClient, table_name: str, *, template_path: Path = TEMPLATE_PATH, stream: bool = True
) -> None:
    """Create the table as the template declares it (its stream left out if not ``stream``), wait
    until it is active, turn on TTL."""
    client.create_table(**table_create_kwargs(table_name, template_path=template_path, stream=stream))
    client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    if attribute := table_ttl_attribute(template_path=template_path):
        client.update_time_to_live(
            TableName=table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute}
        )


def create_audit_bucket(s3_client: S3Client, name: str, *, template_path: Path = TEMPLATE_PATH) -> None:
    """Create the audit archive bucket with the template's versioning setting."""
    create_bucket(s3_client, name, AUDIT_BUCKET_LOGICAL_ID, template_path=template_path)


def create_bucket(s3_client: S3Client, name: str, logical_id: str, *, template_path: Path = TEMPLATE_PATH) -> None:
    """Create the template's bucket ``logical_id`` as ``name``, with its versioning setting."""
    properties = _properties(template_path, logical_id, "AWS::S3::Bucket")
    region = s3_client.meta.region_name
    if region == "us-east-1":
        s3_client.create_bucket(Bucket=name)
    else:
        s3_client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})  # type: ignore[typeddict-item]
    status = (properties.get("VersioningConfiguration") or {}).get("Status")
    if status:
        s3_client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": status})


# ---------------------------------------------------------------- functions


@dataclass(frozen=True)
class FunctionSpec:
    """One ``AWS::Serverless::Function``: where its handler lives and what Lambda gives it."""

    logical_id: str
    handler: str
    code_uri: Path
    memory_size: int = _DEFAULT_MEMORY_MB
    timeout: int = _DEFAULT_TIMEOUT_SECONDS
    # The folders Lambda puts on sys.path: the code and each layer's ``python/``.
    python_paths: tuple[Path, ...] = ()

    @property
    def module_file(self) -> Path:
        module, _, _ = self.handler.rpartition(".")
        return self.code_uri.joinpath(*module.split(".")).with_suffix(".py")

    @property
    def handler_name(self) -> str:
        return self.handler.rpartition(".")[2]


@dataclass(frozen=True)
class Route:
    """One HttpApi event: ``method`` is upper case or ``ANY``; ``path`` may be ``$default``."""

    method: str
    path: str
    public: bool
    function: FunctionSpec

    @property
    def handler(self) -> str:
        return self.function.handler

    @property
    def function_logical_id(self) -> str:
        return self.function.logical_id

    @property
    def route_key(self) -> str:
        return "$default" if self.path == "$default" else f"{self.method} {self.path}"


@dataclass(frozen=True)
class StreamFunction:
    """One DynamoDB stream event source: the function and how its mapping reads the stream."""

    function: FunctionSpec
    filter_patterns: tuple[dict[str, Any], ...] = field(default=())
    batch_size: int = 100
    starting_position: str = "LATEST"
    report_batch_item_failures: bool = False
    maximum_retry_attempts: int | None = None

    @property
    def handler(self) -> str:
        return self.function.handler

    @property
    def logical_id(self) -> str:
        return self.function.logical_id


def _function_globals(template_path: Path) -> dict[str, Any]:
    return (load_template(template_path).get("Globals") or {}).get("Function") or {}


def template_function_environment(template_path: Path = TEMPLATE_PATH) -> dict[str, str]:
    """The variables every function gets from ``Globals`` whose values are constants (the ones
    made of references, a table's name, are the local stack's to set)."""
    variables = ((_function_globals(template_path).get("Environment") or {}).get("Variables")) or {}
    return {name: str(value) for name, value in variables.items() if not isinstance(value, Mapping)}


def _layer_paths(template_path: Path, layers: list[Any]) -> list[Path]:
    """The ``python/`` folder of each layer the function uses (Lambda's /opt/python)."""
    base = Path(template_path).resolve().parent
    paths = []
    for layer in layers:
        logical_id = layer.get("Ref") if isinstance(layer, Mapping) else None
        if logical_id is None:
            continue
        content = base / _properties(template_path, logical_id, _LAYER_TYPE)["ContentUri"]
        paths.append(content / "python" if (content / "python").is_dir() else content)
    return paths


def _function_spec(template_path: Path, logical_id: str, properties: Mapping[str, Any]) -> FunctionSpec:
    defaults = _function_globals(template_path)

    def setting(name: str, fallback: Any = None) -> Any:
        return properties.get(name, defaults.get(name, fallback))

    code_uri = Path(template_path).resolve().parent / setting("CodeUri", ".")
    layers = [*defaults.get("Layers", []), *properties.get("Layers", [])]
    return FunctionSpec(
        logical_id=logical_id,
        handler=setting("Handler"),
        code_uri=code_uri,
        memory_size=int(setting("MemorySize", _DEFAULT_MEMORY_MB)),
        timeout=int(setting("Timeout", _DEFAULT_TIMEOUT_SECONDS)),
        python_paths=(code_uri, *_layer_paths(template_path, layers)),
    )


def function_spec(logical_id: str, *, template_path: Path = TEMPLATE_PATH) -> FunctionSpec:
    """The function ``logical_id`` of the template, to invoke by hand (a backfill)."""
    return _function_spec(template_path, logical_id, _properties(template_path, logical_id, _FUNCTION_TYPE))


def _events(template_path: Path, event_type: str) -> list[tuple[FunctionSpec, dict[str, Any]]]:
    """Every (function, event properties) pair whose event has ``event_type``, in template order."""
    found: list[tuple[FunctionSpec, dict[str, Any]]] = []
    for logical_id, resource in _resources(template_path).items():
        if resource.get("Type") != _FUNCTION_TYPE:
            continue
        properties = resource.get("Properties") or {}
        events = [event for event in (properties.get("Events") or {}).values() if event.get("Type") == event_type]
        if events:
            spec = _function_spec(template_path, logical_id, properties)
            found.extend((spec, event.get("Properties") or {}) for event in events)
    return found


def _default_authorizer(template_path: Path, api: Any) -> str | None:
    """The authorizer a route gets when it names none: its API's, else the HttpApi Globals'."""
    api_id = api.get("Ref") if isinstance(api, Mapping) else None
    resource = _resources(template_path).get(api_id) if api_id else None
    api_auth = ((resource or {}).get("Properties") or {}).get("Auth") or {}
    global_auth = ((load_template(template_path).get("Globals") or {}).get("HttpApi") or {}).get("Auth") or {}
    authorizer = api_auth.get("DefaultAuthorizer", global_auth.get("DefaultAuthorizer"))
    return str(authorizer) if authorizer else None


def http_routes(*, template_path: Path = TEMPLATE_PATH) -> list[Route]:
    """Every HttpApi event of every function. A route is public when it ends up with no
    authorizer: ``Auth: {Authorizer: NONE}``, or no default authorizer on its API."""
    routes = []
    for spec, event in _events(template_path, "HttpApi"):
        authorizer = (event.get("Auth") or {}).get("Authorizer")
        authorizer = authorizer or _default_authorizer(template_path, event.get("ApiId"))
        routes.append(
            Route(
                method=str(event.get("Method", "ANY")).upper(),
                path=str(event.get("Path", "$default")),
                public=authorizer in (None, _NO_AUTHORIZER),
                function=spec,
            )
        )
    return routes


def stream_functions(*, template_path: Path = TEMPLATE_PATH) -> list[StreamFunction]:
    """Every DynamoDB stream event of every function, with its filter patterns parsed."""
    subscriptions = []
    for spec, event in _events(template_path, "DynamoDB"):
        filters = (event.get("FilterCriteria") or {}).get("Filters") or []
        retries = int(event.get("MaximumRetryAttempts", -1))
        subscriptions.append(
            StreamFunction(
                function=spec,
                filter_patterns=tuple(json.loads(item["Pattern"]) for item in filters),
                batch_size=int(event.get("BatchSize", 100)),
                starting_position=str(event.get("StartingPosition", "LATEST")),
                report_batch_item_failures="ReportBatchItemFailures" in (event.get("FunctionResponseTypes") or []),
                maximum_retry_attempts=None if retries < 0 else retries,
            )
        )
    return subscriptions


@dataclass(frozen=True)
class ScheduledFunction:
    """One EventBridge schedule of a function (``Type: Schedule``)."""

    function: FunctionSpec
    expression: str

    @property
    def handler(self) -> str:
        return self.function.handler

    @property
    def logical_id(self) -> str:
        return self.function.logical_id


_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def rate_seconds(expression: str) -> int:
    """The period of an EventBridge ``rate(...)`` expression, in seconds. The local stand-in runs
    rates only: a ``cron(...)`` schedule would need a cron engine it does not have."""
    match = _RATE.match(expression.strip())
    if match is None:
        raise ValueError(f"the local scheduler runs rate(N unit) schedules only, not {expression!r}")
    count, unit = int(match.group(1)), match.group(2).removesuffix("s")
    if count < 1 or (count == 1) != (not match.group(2).endswith("s")):
        raise ValueError(f"{expression!r} is not a valid rate: 1 takes a singular unit, more a plural one")
    return count * _UNIT_SECONDS[unit]


def scheduled_functions(*, template_path: Path = TEMPLATE_PATH) -> list[ScheduledFunction]:
    """Every enabled schedule of every function."""
    return [
        ScheduledFunction(function=spec, expression=str(event["Schedule"]))
        for spec, event in _events(template_path, "Schedule")
        if event.get("Enabled", True) is not False
    ]


# ---------------------------------------------------------------- the HTTP API itself


@dataclass(frozen=True)
class CorsConfiguration:
    """The HttpApi's ``CorsConfiguration``, with parameter references resolved to their defaults."""

    allow_origins: tuple[str, ...] = ()
    allow_methods: tuple[str, ...] = ()
    allow_headers: tuple[str, ...] = ()
    expose_headers: tuple[str, ...] = ()
    max_age: int | None = None
    allow_credentials: bool = False


def http_api_cors(*, template_path: Path = TEMPLATE_PATH) -> CorsConfiguration | None:
    properties = _properties(template_path, HTTP_API_LOGICAL_ID, "AWS::Serverless::HttpApi")
    cors = properties.get("CorsConfiguration")
    if not cors:
        return None
    if cors is True or _is_intrinsic(cors):  # SAM reads either as the allowed origins alone
        cors = {"AllowOrigins": ["*"] if cors is True else cors}

    def strings(name: str) -> tuple[str, ...]:
        return _string_list(template_path, cors.get(name, []))

    max_age = _parameter_default(template_path, cors.get("MaxAge"))
    return CorsConfiguration(
        allow_origins=strings("AllowOrigins"),
        allow_methods=strings("AllowMethods"),
        allow_headers=strings("AllowHeaders"),
        expose_headers=strings("ExposeHeaders"),
        max_age=None if max_age is None else int(max_age),
        allow_credentials=bool(_parameter_default(template_path, cors.get("AllowCredentials", False))),
    )

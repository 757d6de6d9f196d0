"""The SAM CLI accepts the template, builds it, and the built artifact runs on Lambda's platform.

`sam build` runs once per session (it takes a while); every test below inspects that one build.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from samtranslator.yaml_helper import yaml_parse

pytestmark = pytest.mark.sam

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_PATH = ROOT / "template.yaml"
LAYER_SOURCE = ROOT / "layers" / "funnel_core" / "python"
LAYER_ID = "FunnelCoreLayer"

# e_machine of the ELF header for each Lambda architecture.
ELF_MACHINE = {"x86_64": 62, "arm64": 183}
# What the Lambda Python runtime itself provides next to the function and its layers (/var/runtime).
RUNTIME_PROVIDED = ["boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3"]
# Lambda's limit on a function's unzipped code plus all of its layers.
UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024
LAYER_MUST_IMPORT = ["funnel_core", "pydantic_core", "pydantic", "email_validator", "aws_lambda_powertools"]

IMPORT_PROBE = """
import importlib, json, sys, time
paths, modules, handler_attribute = json.loads(sys.argv[1])
sys.path[:0] = paths
started = time.perf_counter()
origins = {name: importlib.import_module(name).__file__ for name in modules}
seconds = time.perf_counter() - started
if handler_attribute:
    handler = getattr(sys.modules[modules[-1]], handler_attribute)
    assert callable(handler), f"{modules[-1]}.{handler_attribute} is not callable"
print(json.dumps({"origins": origins, "seconds": seconds}))
"""

# One interpreter imports the shared libraries once; each function's handler is then imported in a
# child forked from it, with the function's own directory put first on sys.path, as Lambda orders
# them. The children share nothing but those preloaded libraries, which no function directory may
# hold a copy of (the test checks), so each import sees what that function would see on Lambda.
FORK_PROBE = """
import importlib, json, os, sys, time
base_paths, preload, jobs = json.loads(sys.argv[1])
sys.path[:0] = base_paths
preloaded = {name: importlib.import_module(name).__file__ for name in preload}
# The layer's own package, every module of it, as each handler would import some of it anyway.
import funnel_core, pkgutil
for info in pkgutil.walk_packages(funnel_core.__path__, "funnel_core."):
    preloaded[info.name] = importlib.import_module(info.name).__file__
results = {}
for name, directory, module, attribute in jobs:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            sys.path.insert(0, directory)
            started = time.perf_counter()
            origins = {m: importlib.import_module(m).__file__ for m in ("funnel_core", module)}
            seconds = time.perf_counter() - started
            assert callable(getattr(sys.modules[module], attribute)), f"{module}.{attribute} is not callable"
            payload = {"origins": origins, "seconds": seconds}
        except BaseException as error:
            payload = {"error": f"{type(error).__name__}: {error}"}
        os.write(write_end, json.dumps(payload).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        output = reader.read()
    os.waitpid(pid, 0)
    results[name] = json.loads(output) if output else {"error": "the child wrote nothing"}
print(json.dumps({"preloaded": preloaded, "results": results}))
"""
# Imported once in FORK_PROBE's parent with all of funnel_core: the libraries every handler shares.
PRELOAD = ["pydantic", "aws_lambda_powertools", "boto3", "botocore"]


@dataclass(frozen=True)
class SamBuild:
    directory: Path
    seconds: float
    template: dict[str, Any]

    @property
    def layer_python(self) -> Path:
        return self.directory / LAYER_ID / "python"

    def functions(self) -> dict[str, dict[str, Any]]:
        return {
            name: resource["Properties"]
            for name, resource in self.template["Resources"].items()
            if resource["Type"] == "AWS::Serverless::Function"
        }


def _sam() -> str:
    sam = shutil.which("sam") or str(ROOT / ".venv-sam" / "bin" / "sam")
    if not os.access(sam, os.X_OK):
        pytest.fail("the SAM CLI is not installed: `make deps` puts it in .venv-sam")
    return sam


def _sam_env() -> dict[str, str]:
    return {**os.environ, "SAM_CLI_TELEMETRY": "0"}


def _run_sam(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [_sam(), *args], cwd=ROOT, env=_sam_env(), capture_output=True, text=True, timeout=900, check=False
    )


def _template() -> dict[str, Any]:
    return yaml_parse(TEMPLATE_PATH.read_text())


def _runtime_python(template: dict[str, Any]) -> str:
    """The interpreter of the template's runtime (python3.11 -> python3.11), as Lambda would run it."""
    runtime = template["Globals"]["Function"]["Runtime"]
    python = shutil.which(runtime)
    if python is None:
        pytest.fail(f"{runtime} is not installed: it is needed to check the built artifact imports")
    return python


@pytest.fixture(scope="session")
def sam_build(tmp_path_factory: pytest.TempPathFactory) -> SamBuild:
    build_dir = tmp_path_factory.mktemp("sam") / "build"
    started = time.perf_counter()
    result = _run_sam(
        "build", "--template-file", str(TEMPLATE_PATH), "--build-dir", str(build_dir), "--no-cached", "--parallel"
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 0, f"sam build failed:\n{result.stdout}\n{result.stderr}"
    return SamBuild(build_dir, seconds, _template())


@pytest.fixture(scope="session")
def runtime_provided_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stand-in for Lambda's /var/runtime: the boto3 stack and nothing else."""
    directory = tmp_path_factory.mktemp("var-runtime")
    for name in RUNTIME_PROVIDED:
        spec = find_spec(name)
        assert spec is not None, f"{name} is missing from the test environment"
        assert spec.origin is not None, name
        source = Path(spec.origin)
        if source.name == "__init__.py":
            source = source.parent
        (directory / source.name).symlink_to(source)
    return directory


def _shared_objects(directory: Path) -> Iterator[Path]:
    for path in directory.rglob("*.so*"):
        if path.is_file() and (path.suffix == ".so" or ".so." in path.name):
            yield path


def _elf_machine(path: Path) -> int | None:
    with path.open("rb") as binary:
        header = binary.read(20)
    if header[:4] != b"\x7fELF":
        return None
    return int.from_bytes(header[18:20], "little" if header[5] == 1 else "big")


def _size(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def _lambda_env() -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
        "TABLE_NAME": "ontology",
        "AUDIT_BUCKET_NAME": "audit-archive",
        "CURSOR_SECRET": "a-cursor-signing-key-for-import-checks",
        "STAGE": "dev",
        "POWERTOOLS_SERVICE_NAME": "funnel-builder",
        "POWERTOOLS_METRICS_NAMESPACE": "FunnelBuilder",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }


def _isolated_python(python: str, script: str, arguments: Any) -> dict[str, Any]:
    """Run `script` in a fresh interpreter that sees the standard library and only the paths it adds."""
    # -I: no PYTHON* variables, no user site; -S: no site-packages.
    result = subprocess.run(  # noqa: S603
        [python, "-I", "-S", "-c", script, json.dumps(arguments)],
        env=_lambda_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"the import probe failed:\n{result.stderr}"
    return json.loads(result.stdout)


def _probe_imports(python: str, paths: list[Path], modules: list[str], handler_attribute: str) -> dict[str, Any]:
    """Import modules in a fresh interpreter that sees only `paths` and the standard library."""
    return _isolated_python(python, IMPORT_PROBE, [[str(p) for p in paths], modules, handler_attribute])


def test_sam_validate_lint_accepts_the_template() -> None:
    result = _run_sam("validate", "--lint", "--template-file", str(TEMPLATE_PATH))

    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"


def test_sam_build_builds_every_function_and_the_layer(sam_build: SamBuild, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\n[sam build] {sam_build.seconds:.1f} s (no cache, --parallel)")

    for name in [*sam_build.functions(), LAYER_ID]:
        assert (sam_build.directory / name).is_dir(), f"{name} was not built"
    assert (sam_build.directory / "template.yaml").is_file()


def test_layer_holds_the_whole_funnel_core_package_and_not_the_runtime_boto3(sam_build: SamBuild) -> None:
    source_modules = {p.relative_to(LAYER_SOURCE) for p in LAYER_SOURCE.rglob("*.py") if "__pycache__" not in p.parts}
    built_modules = {
        p.relative_to(sam_build.layer_python) for p in (sam_build.layer_python / "funnel_core").rglob("*.py")
    }

    assert source_modules == built_modules
    assert not [p for p in ("boto3", "botocore", "s3transfer") if (sam_build.layer_python / p).exists()]


def test_native_code_matches_the_template_architecture(sam_build: SamBuild) -> None:
    (architecture,) = sam_build.template["Globals"]["Function"]["Architectures"]
    layer_architectures = sam_build.template["Resources"][LAYER_ID]["Properties"]["CompatibleArchitectures"]
    shared_objects = list(_shared_objects(sam_build.directory))

    assert layer_architectures == [architecture]
    assert any(p.is_relative_to(sam_build.layer_python / "pydantic_core") for p in shared_objects)
    wrong = {
        str(p.relative_to(sam_build.directory)): _elf_machine(p)
        for p in shared_objects
        if _elf_machine(p) != ELF_MACHINE[architecture]
    }
    assert wrong == {}, f"not {architecture} (e_machine {ELF_MACHINE[architecture]})"


def test_each_function_fits_lambdas_unzipped_size_limit(
    sam_build: SamBuild, capsys: pytest.CaptureFixture[str]
) -> None:
    layer_bytes = _size(sam_build.directory / LAYER_ID)
    largest = max(_size(sam_build.directory / name) for name in sam_build.functions())

    with capsys.disabled():
        print(f"\n[sam build] layer {layer_bytes / 2**20:.1f} MiB, largest function {largest / 2**20:.2f} MiB unzipped")
    assert layer_bytes + largest < UNZIPPED_LIMIT_BYTES


def test_layer_imports_on_the_lambda_python_alone(sam_build: SamBuild, runtime_provided_dir: Path) -> None:
    python = _runtime_python(sam_build.template)

    probe = _probe_imports(python, [sam_build.layer_python, runtime_provided_dir], LAYER_MUST_IMPORT, "")

    for module, origin in probe["origins"].items():
        assert Path(origin).is_relative_to(sam_build.layer_python), f"{module} came from {origin}"


def test_every_handler_imports_from_its_built_artifact(
    sam_build: SamBuild, runtime_provided_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    python = _runtime_python(sam_build.template)
    functions = sam_build.functions()
    # The preloaded libraries must come from the layer or the runtime for every function, which holds
    # only if no function directory carries its own copy that Lambda would import first.
    shadowing = {
        name: [top for top in [*PRELOAD, "funnel_core"] if (sam_build.directory / name / top).exists()]
        for name in functions
        if any((sam_build.directory / name / top).exists() for top in [*PRELOAD, "funnel_core"])
    }
    assert shadowing == {}, "function directories shadow the layer's or the runtime's libraries"
    jobs = []
    for name, properties in functions.items():
        module, _, attribute = properties["Handler"].rpartition(".")
        jobs.append([name, str(sam_build.directory / name), module, attribute])

    # Lambda's own order: the function's code (put first by each child), then its layers, then the runtime.
    probe = _isolated_python(
        python, FORK_PROBE, [[str(sam_build.layer_python), str(runtime_provided_dir)], PRELOAD, jobs]
    )

    assert set(probe["results"]) == set(functions)
    failures = {name: result["error"] for name, result in probe["results"].items() if "error" in result}
    assert failures == {}, "handlers that do not import from their built artifact"
    for top, origin in probe["preloaded"].items():
        allowed = (
            [sam_build.layer_python]
            if top.startswith("funnel_core")
            else [sam_build.layer_python, runtime_provided_dir]
        )
        assert any(Path(origin).is_relative_to(root) for root in allowed), f"{top} came from {origin}"
    for name, result in probe["results"].items():
        module = functions[name]["Handler"].rpartition(".")[0]
        assert Path(result["origins"][module]).is_relative_to(sam_build.directory / name), name
        assert Path(result["origins"]["funnel_core"]).is_relative_to(sam_build.layer_python), name
    slowest = max(probe["results"], key=lambda name: probe["results"][name]["seconds"])
    with capsys.disabled():
        print(f"\n[sam build] slowest handler import: {slowest} {probe['results'][slowest]['seconds'] * 1000:.0f} ms")

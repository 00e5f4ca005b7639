"""Run Lambda invocations in-process: moto's Lambda, our Python handlers.

moto 5.2.5 without Docker (``{"lambda": {"use_docker": false}}``) serves Lambda from
``moto.awslambda_simple.models.LambdaSimpleBackend``, whose ``invoke`` only echoes the
payload. We replace that one method: when the invoked function's name has a handler (from
Chalice's ``app.handler_map``), the handler runs here with a Lambda-like context and its JSON
result is the payload; an exception becomes Lambda's function error — payload
``{"errorType": <class name>, "errorMessage": ...}`` and header
``X-Amz-Function-Error: Unhandled`` — which moto's Step Functions interpreter
(``lambda_eval_utils.exec/execute_lambda_function_integration`` → ``StateTaskLambda._from_error``)
turns into the error name that ``Retry``/``Catch`` ``ErrorEquals`` match. Functions without a
handler keep moto's echo behaviour.
"""
from __future__ import annotations

import io
import json
import logging
import threading
import traceback
import zipfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import moto
from moto.awslambda_simple.models import LambdaSimpleBackend

PINNED_MOTO_VERSION = "5.2.5"
LOCAL_ROLE_NAME = "photoshoot-local-lambda"
LOCAL_RUNTIME = "python3.11"

log = logging.getLogger("infra.local.lambda")

_handlers: Mapping[str, Callable] = {}
_original_invoke = LambdaSimpleBackend.invoke
_async_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()


class LambdaContext:
    """The attributes and method of the context object AWS passes to Python handlers."""

    def __init__(self, function_name: str, function_arn: str = "", memory_mb: int = 256,
                 timeout_s: int = 900, request_id: str | None = None) -> None:
        import time  # noqa: PLC0415
        import uuid  # noqa: PLC0415

        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = function_arn
        self.memory_limit_in_mb = memory_mb
        self.aws_request_id = request_id or str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self.identity = None
        self.client_context = None
        self._deadline_ms = time.time() * 1000 + timeout_s * 1000

    def get_remaining_time_in_millis(self) -> int:
        import time  # noqa: PLC0415

        return max(0, int(self._deadline_ms - time.time() * 1000))


def function_error_payload(error: BaseException) -> dict:
    """What the Python runtime answers for an uncaught exception."""
    return {"errorMessage": str(error), "errorType": type(error).__name__,
            "requestId": "", "stackTrace": traceback.format_tb(error.__traceback__)}


def run_handler(name: str, event: Any, context: LambdaContext | None = None) -> tuple[Any, bool]:
    """Call handler ``name`` in-process. Returns ``(result, failed)``; when it raised,
    ``result`` is the function-error payload."""
    handler = _handlers.get(name)
    if handler is None:
        raise KeyError(f"no local handler for Lambda function {name!r}")
    try:
        result = handler(event, context or LambdaContext(name))
    except Exception as error:  # noqa: BLE001 - reported like the Lambda runtime does
        frame = traceback.extract_tb(error.__traceback__)[-1]
        log.warning("lambda raised", extra={"function": name,
                                            "error_type": type(error).__name__,
                                            "error_message": str(error)[:300],
                                            "where": f"{frame.filename}:{frame.lineno}"})
        return function_error_payload(error), True
    if hasattr(result, "to_dict"):  # a chalice.Response returned from a pure function
        result = result.to_dict()
    return result, False


def _invoke(self: LambdaSimpleBackend, function_name: str, qualifier: str | None, body: Any,
            headers: Any, response_headers: Any) -> bytes | None:
    fn = self.get_function(function_name, qualifier)  # raises moto's 404 for unknown names
    if fn.function_name not in _handlers:
        return _original_invoke(self, function_name, qualifier, body, headers,
                                response_headers)
    raw = body.decode() if isinstance(body, bytes) else body
    event = json.loads(raw) if raw else {}
    context = LambdaContext(fn.function_name, fn.function_arn, int(fn.memory_size or 128),
                            int(fn.timeout or 3))
    invocation_type = (headers.get("X-Amz-Invocation-Type") or headers.get(
        "x-amz-invocation-type") or "RequestResponse")
    if invocation_type == "Event":
        _pool().submit(run_handler, fn.function_name, event, context)
        return b""
    if invocation_type == "DryRun":
        return b""
    result, failed = run_handler(fn.function_name, event, context)
    if failed:
        response_headers["x-amz-function-error"] = "Unhandled"
    payload = json.dumps(result, default=str).encode()
    response_headers["Content-Length"] = str(len(payload))
    return payload


def _pool() -> ThreadPoolExecutor:
    global _async_pool
    with _lock:
        if _async_pool is None:
            _async_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="lambda-async")
        return _async_pool


def install(handlers: Mapping[str, Callable]) -> None:
    """Dispatch moto Lambda invocations of these names to these callables (live mapping:
    names added later are seen). Idempotent."""
    global _handlers
    if moto.__version__ != PINNED_MOTO_VERSION:
        raise RuntimeError(
            f"infra/local/lambda_runner.py patches moto {PINNED_MOTO_VERSION} "
            f"(LambdaSimpleBackend.invoke); found moto {moto.__version__}. "
            "Re-check the seam in moto/awslambda_simple/models.py and update the pin.")
    _handlers = handlers
    LambdaSimpleBackend.invoke = _invoke  # type: ignore[method-assign]


def uninstall() -> None:
    global _handlers
    LambdaSimpleBackend.invoke = _original_invoke  # type: ignore[method-assign]
    _handlers = {}


def _dummy_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "# served in-process by infra/local/lambda_runner.py\n")
    return buffer.getvalue()


def _sibling_client(client, service: str):
    """A client for another service at the same endpoint (moto server or mock)."""
    import boto3  # noqa: PLC0415

    endpoint = client.meta.endpoint_url
    local = "amazonaws.com" not in endpoint
    return boto3.client(service, region_name=client.meta.region_name,
                        endpoint_url=endpoint if local else None)


def _local_role_arn(lambda_client) -> str:
    """moto checks that a function's role exists in IAM: create a fake one once."""
    iam = _sibling_client(lambda_client, "iam")
    try:
        return iam.get_role(RoleName=LOCAL_ROLE_NAME)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        trust = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole"}]}
        return iam.create_role(RoleName=LOCAL_ROLE_NAME,
                               AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]


def register_functions(lambda_client, names: Iterable[str]) -> dict[str, str]:
    """Create a moto Lambda function per handler name (idempotent); returns name → ARN, so
    Task ARNs ``arn:aws:lambda:<region>:<account>:function:<name>`` resolve."""
    arns: dict[str, str] = {}
    code = _dummy_zip()
    role_arn = None
    for name in names:
        try:
            arns[name] = lambda_client.get_function(
                FunctionName=name)["Configuration"]["FunctionArn"]
            continue
        except lambda_client.exceptions.ResourceNotFoundException:
            pass
        role_arn = role_arn or _local_role_arn(lambda_client)
        created = lambda_client.create_function(
            FunctionName=name, Runtime=LOCAL_RUNTIME, Role=role_arn,
            Handler=f"app.{name}", Code={"ZipFile": code}, Timeout=900, MemorySize=512)
        arns[name] = created["FunctionArn"]
    return arns

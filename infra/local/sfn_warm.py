"""Keep moto's Step Functions interpreter warm between executions (local stack and tests).

moto 5.2.5 re-parses the whole ASL definition with ANTLR for every execution
(``ExecutionWorker._get_evaluation_entrypoint`` → ``AmazonStateLanguageParser.parse``) and
builds a new boto3 client for every Lambda task it runs (``lambda_eval_utils.boto_client_for``).
On our definition that is ≈ 60 ms of CPU per execution plus ≈ 10 ms per task, paid on the
same cores as the steps themselves — time AWS does not spend. Two seams:

- the ANTLR parse tree is cached per definition text; the evaluation components are still
  built fresh by moto's ``Preprocessor`` for every execution, so executions share no state;
- the Lambda client is cached per (region, service, endpoint); botocore clients are
  thread-safe, and the key includes whether moto intercepts boto calls in-process, so a client
  made under ``mock_aws`` is never used against the server or the other way round.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import moto
from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
from moto.stepfunctions.parser.asl.parse import asl_parser

PINNED_MOTO_VERSION = "5.2.5"

_original_parse = asl_parser.AmazonStateLanguageParser.__dict__["parse"]
_original_client_for = lambda_eval_utils.boto_client_for
_clients: dict[tuple, Any] = {}
_clients_lock = threading.Lock()


@lru_cache(maxsize=16)
def _parse_tree(definition: str):
    """The ANTLR tree of a definition (raises moto's ``ASLParserException`` like moto)."""
    return _original_parse.__func__(definition)[1]


def _parse(definition: str):
    tree = _parse_tree(definition)
    return asl_parser.Preprocessor().visit(tree), tree


def _client_for(region: str, service: str, state_credentials: Any = None):
    from moto.core.models import botocore_stubber  # noqa: PLC0415
    from moto.settings import moto_server_port  # noqa: PLC0415

    key = (region, service, botocore_stubber.enabled, moto_server_port())
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = _original_client_for(region, service, state_credentials)
        return client


def install() -> None:
    if moto.__version__ != PINNED_MOTO_VERSION:
        raise RuntimeError(f"infra/local/sfn_warm.py patches moto {PINNED_MOTO_VERSION}; "
                           f"found {moto.__version__}. Re-check the two seams it names.")
    asl_parser.AmazonStateLanguageParser.parse = staticmethod(_parse)
    lambda_eval_utils.boto_client_for = _client_for


def uninstall() -> None:
    asl_parser.AmazonStateLanguageParser.parse = _original_parse
    lambda_eval_utils.boto_client_for = _original_client_for
    with _clients_lock:
        _clients.clear()
    _parse_tree.cache_clear()


def installed() -> bool:
    parse: Callable = asl_parser.AmazonStateLanguageParser.__dict__["parse"]
    return getattr(parse, "__func__", None) is _parse

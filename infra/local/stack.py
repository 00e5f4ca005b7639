"""``make run``: the whole system on one machine — ``python -m infra.local.stack``.

Order matters: the environment is prepared before ``app.py`` (and so PynamoDB) is imported;
moto is configured before any Lambda function is created (the no-Docker backend must hold
them); state machines are created after the functions their Task ARNs name.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

from infra.local.allocator import reexec_with_tunables
from infra.local.environment import ROOT, LocalPorts, prepare_environment

log = logging.getLogger("infra.local.stack")

_STANDARD_RECORD_KEYS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with ``extra={...}`` fields inline."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
                 "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        entry.update({k: v for k, v in vars(record).items()
                      if k not in _STANDARD_RECORD_KEYS and not k.startswith("_")})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("LOCAL_LOG_LEVEL", "INFO").upper())
    # moto's and werkzeug's per-request lines, botocore's chatter: off unless they go wrong.
    for noisy in ("werkzeug", "moto", "botocore", "boto3", "urllib3", "aiohttp.access",
                  "aiohttp.server", "pynamodb", "chalice"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # moto logs every failed state with the whole program state; our Lambda runner already
    # logs the error, and describe_execution / get_execution_history have the details.
    if root.level > logging.DEBUG:
        logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)


class PortInUse(SystemExit):
    pass


def ensure_ports_free(ports: LocalPorts) -> None:
    for variable, port in (("PORT", ports.port), ("WS_PORT", ports.ws_port),
                           ("MOTO_PORT", ports.moto_port)):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((ports.host, port))
            except OSError:
                raise PortInUse(
                    f"Port {port} ({variable}) on {ports.host} is already in use — is another "
                    f"`make run` still running? Stop it, or choose another port, e.g. "
                    f"`{variable}={port + 10} make run`.") from None


class LocalStack:
    """Every part of the local system, started in dependency order and stopped in reverse."""

    def __init__(self, ports: LocalPorts) -> None:
        self.ports = ports
        self.stop_event = threading.Event()
        self._moto = self._front = self._front_thread = self._ws = None
        self._loops: list[threading.Thread] = []
        self.app = None
        self.provisioned = None

    def start(self) -> None:
        started = time.monotonic()
        ensure_ports_free(self.ports)
        self._start_moto()

        from infra.local import lambda_runner, sfn_clock, sfn_warm  # noqa: PLC0415 - moto
        from infra.local.provision import configure_moto, provision  # noqa: PLC0415

        configure_moto(self.ports.moto_url)
        sfn_clock.install(float(os.environ.get("LOCAL_SFN_TIME_SCALE", "1")))
        sfn_warm.install()

        from app import app  # noqa: PLC0415 - only now: settings read AWS_ENDPOINT_URL
        from photoshoot.settings import get_settings, reset_settings_cache  # noqa: PLC0415

        self.app = app
        lambda_runner.install(app.handler_map)
        settings = get_settings()
        self.provisioned = provision(app, settings, self.ports.moto_url)
        if "generation" in self.provisioned.state_machines:
            os.environ["STATE_MACHINE_ARN"] = self.provisioned.state_machines["generation"]
            reset_settings_cache()
            settings = get_settings()
        self._start_ws_gateway(settings)
        self._start_front(settings)
        self._start_event_loops(settings)
        threading.Thread(target=self._warm_up_and_freeze, args=(settings.provider,),
                         name="warm-up", daemon=True).start()
        log.info("local stack ready", extra={"seconds": round(time.monotonic() - started, 2)})

    @staticmethod
    def _warm_up_aws_clients() -> None:
        """One harmless request through each client a photoshoot uses, so that their
        service models — botocore's and moto's, ~120 000 objects — load before the freeze."""
        from photoshoot import realtime, storage  # noqa: PLC0415
        from photoshoot.generation import workflow  # noqa: PLC0415

        storage.head("warm-up/none")  # S3
        realtime.push_to_user("warm-up", {})  # DynamoDB through PynamoDB (an index query)
        realtime.send_to_connection("warm-up", {})  # the WebSocket management API: gone
        workflow.sfn_client().list_state_machines(maxResults=1)  # Step Functions

    @staticmethod
    def _warm_up_and_freeze(provider_name: str) -> None:
        """Load the renderer and the AWS clients off the request path, then freeze the heap.

        The stack is one long-lived process holding moto, botocore, Chalice and the
        renderer: hundreds of thousands of objects that live until it stops, which every
        full (generation 2) collection rescans — 100–260 ms pauses measured in the middle
        of photoshoots. ``gc.freeze()`` once they exist takes them out of the collector's
        sight; objects made later are collected as usual.
        """
        import gc  # noqa: PLC0415

        from photoshoot.providers.registry import get_provider  # noqa: PLC0415

        began = time.monotonic()
        try:
            provider = get_provider(provider_name or None)
            if hasattr(provider, "warm_up"):
                provider.warm_up()
            LocalStack._warm_up_aws_clients()
        except Exception:  # noqa: BLE001 - the first photoshoot will load it instead
            log.warning("warm-up failed", exc_info=True)
        gc.freeze()
        log.info("warmed up", extra={"seconds": round(time.monotonic() - began, 2),
                                              "frozen_objects": gc.get_freeze_count()})

    def _start_moto(self) -> None:
        from moto.server import ThreadedMotoServer  # noqa: PLC0415

        from infra.local import moto_atomicity  # noqa: PLC0415 - imports moto

        moto_atomicity.install()

        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.ports.moto_port,
                                        verbose=False)
        self._moto.start()
        if os.environ.get("LOCAL_AWS_OVER_HTTP") != "1":
            from infra.local import aws_inprocess  # noqa: PLC0415

            aws_inprocess.install(self.ports.moto_url, self._moto._server.app)

    def _start_ws_gateway(self, settings) -> None:
        from infra.local.ws_gateway import WsGateway, chalice_ws_handlers  # noqa: PLC0415

        self._ws = WsGateway(chalice_ws_handlers(self.app), self.ports.host,
                             self.ports.ws_port, region=settings.region,
                             stage=settings.stage)
        self._ws.start()

    def _start_front(self, settings) -> None:
        from infra.local import routes  # noqa: PLC0415
        from infra.local.front import FrontApp, make_front_server  # noqa: PLC0415

        front = FrontApp(self.app, webhooks=routes.WEBHOOKS, sandboxes=routes.SANDBOXES,
                         dist_dir=ROOT / "static_site" / "dist", region=settings.region)
        self._front = make_front_server(front, self.ports.host, self.ports.port,
                                        access_log=os.environ.get("LOCAL_ACCESS_LOG") == "1")
        self._front_thread = threading.Thread(target=self._front.serve_forever,
                                              kwargs={"poll_interval": 0.2},
                                              name="front", daemon=True)
        self._front_thread.start()

    def _start_event_loops(self, settings) -> None:
        import boto3  # noqa: PLC0415

        from infra.local import routes  # noqa: PLC0415
        from infra.local.events import ExecutionStatusEvents, ScheduleRunner  # noqa: PLC0415

        account = "123456789012"
        interval = float(os.environ.get("LOCAL_SCHEDULE_INTERVAL_S", "60"))
        if interval > 0:
            self._loops.append(ScheduleRunner(self.app, interval, settings.region, account,
                                              self.stop_event))
        sfn = boto3.client("stepfunctions", endpoint_url=self.ports.moto_url,
                           region_name=settings.region)
        self._loops.append(ExecutionStatusEvents(
            self.app, sfn, self.provisioned.state_machines.values(), routes.EVENT_TARGETS,
            settings.region, account, self.stop_event))
        for loop in self._loops:
            loop.start()

    def stop(self) -> None:
        """Stop the servers in parallel (each waits for its own poll interval)."""
        self.stop_event.set()
        stoppers = []
        if self._front is not None:
            stoppers.append(self._stop_front)
        if self._ws is not None:
            stoppers.append(self._ws.stop)
        if self._moto is not None:
            stoppers.append(self._moto.stop)
        threads = [threading.Thread(target=stop, daemon=True) for stop in stoppers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(3.0)

    def _stop_front(self) -> None:
        self._front.shutdown()
        self._front.server_close()

    def banner(self) -> str:
        p = self.ports
        machines = ", ".join(sorted(self.provisioned.state_machines)) or "—"
        width = 64
        lines = [
            "Photoshoot is running locally",
            f"  App & API   {p.base_url}",
            f"  WebSocket   {p.ws_url}",
            f"  AWS (moto)  {p.moto_url}",
            f"  State machines: {machines}",
            "  Ctrl-C to stop",
        ]
        rule = "=" * width
        return "\n".join([rule, *lines, rule])


def _ensure_import_path() -> None:
    for path in (ROOT, ROOT / "layers"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


def main() -> int:
    reexec_with_tunables()  # before anything large is allocated
    ports = prepare_environment()
    configure_logging()
    log.info("allocator", extra={"glibc_tunables": os.environ.get("GLIBC_TUNABLES")})
    _ensure_import_path()
    stack = LocalStack(ports)
    stopping = threading.Event()

    def on_signal(signum, _frame):
        if stopping.is_set():
            os._exit(130)  # second Ctrl-C: leave at once
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        stack.start()
    except PortInUse as error:
        print(f"\n{error}\n", file=sys.stderr, flush=True)
        stack.stop()
        return 2
    except Exception:
        log.exception("local stack failed to start")
        stack.stop()
        return 1
    print(stack.banner(), flush=True)
    while not stopping.wait(0.2):
        pass
    print("Stopping…", flush=True)
    stopped_at = time.monotonic()
    watchdog = threading.Timer(5.0, lambda: os._exit(0))
    watchdog.daemon = True
    watchdog.start()
    stack.stop()
    log.info("local stack stopped", extra={"seconds": round(time.monotonic() - stopped_at, 2)})
    return 0


if __name__ == "__main__":
    exit_code = main()
    # Everything lived in memory and is stopped; skip the interpreter's finalisation of
    # moto's and botocore's module graph, which alone takes ~2 s.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exit_code)

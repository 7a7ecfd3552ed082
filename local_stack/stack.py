"""Starting and stopping the whole local stack."""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
from pathlib import Path
from typing import Any

from local_stack import resources, s3_events, stepfunctions, support, template
from local_stack.cognito_additions import enforce_app_client_settings
from local_stack.event_sources import EventSources
from local_stack.functions import LocalFunction, add_to_path
from local_stack.gateway import Gateway, GatewayRequestHandler, JwtAuthorizer
from local_stack.headers import security_headers
from local_stack.moto_additions import (
    add_revoke_token,
    create_kms_keys_as_declared,
    serialize_dynamodb_requests,
    sign_tokens_with_a_fresh_key,
)
from local_stack.outbox import Outbox
from local_stack.s3_events import S3EventSource
from local_stack.s3_proxy import S3Proxy
from local_stack.site import BuiltSite

REGION = "ap-southeast-3"
STATICS_DIR = template.ROOT / "statics"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    # The S3 proxy checks signatures against it: made per process, so nobody signs by reading the code.
    "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(24),
    "AWS_SESSION_TOKEN": "local",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}


class LocalStack:
    """moto + every template resource + the gateway on host:port (0 picks free ports)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 3000,
        log_level: str = "INFO",
        seed: bool = True,
        template_path: Path = template.TEMPLATE_PATH,
        poll_interval: float = 0.2,
        schedule_speed: float = 1.0,
    ):
        self.host = host
        self.port = port
        self.log_level = log_level
        self.seed = seed
        self.template_path = Path(template_path).resolve()
        # SQS pollers' idle wait; schedule_speed > 1 runs schedules' clock faster (tests).
        self.poll_interval = poll_interval
        self.schedule_speed = schedule_speed
        self.event_sources: EventSources | None = None
        self._environ_before: dict[str, str] | None = None
        self._moto: Any = None
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.provisioned: resources.Provisioned | None = None
        self.functions: dict[str, LocalFunction] = {}
        self.outbox = Outbox(REGION)
        self.gateway: Gateway | None = None
        self.catalogue_count = 0
        # The demo officers' authenticator secrets (NIP -> secret), shown by /_local/accounts.
        self.totp_secrets: dict[str, str] = {}
        self.s3_events: S3EventSource | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def moto_url(self) -> str:
        host, port = self._moto.get_host_and_port()
        return f"http://{host}:{port}"

    @property
    def failures(self) -> list[str]:
        """Every failed delivery of every event source (S3, SQS, schedules) so far."""
        found = list(self.s3_events.failures) if self.s3_events is not None else []
        return found + (self.event_sources.failures if self.event_sources is not None else [])

    def start(self) -> LocalStack:
        try:
            return self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> LocalStack:
        from moto.server import ThreadedMotoServer
        from werkzeug.serving import make_server

        # Handlers leave their environment in the process (one at a time, as in Lambda); this
        # stack starts from the process's own, without another stack's endpoints, and gives it back.
        self._environ_before = dict(os.environ)
        for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL_")]:
            del os.environ[name]
        os.environ.update(FAKE_CREDENTIALS)
        os.environ["MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP"] = "true"  # moto checks authenticator codes
        add_revoke_token()
        create_kms_keys_as_declared()
        serialize_dynamodb_requests()
        enforce_app_client_settings()
        sign_tokens_with_a_fresh_key()
        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._moto.start()
        os.environ["AWS_ENDPOINT_URL"] = self.moto_url
        # moto's Step Functions calls services (SQS, DynamoDB, ...) at localhost:MOTO_PORT.
        os.environ["MOTO_PORT"] = self.moto_url.rsplit(":", 1)[1]
        self._configure_moto()

        # Bind first so the real port is known to the resources that mention the site's address.
        self._server = make_server(
            self.host, self.port, self._dispatch, threaded=True, request_handler=GatewayRequestHandler
        )
        self.port = self._server.server_port

        import boto3

        session = boto3.Session(region_name=REGION)
        root = self.template_path.parent
        sam = template.load_sam_template(self.template_path)
        overrides = {"LogLevel": self.log_level, "StageName": "local"}
        parameters = template.parameter_values(
            sam, {k: v for k, v in overrides.items() if k in sam.get("Parameters", {})}
        )
        cfn = template.translate(sam, parameters, session.client("iam"), root)
        # Anything the stack cannot serve stops it here, one line each, before anything runs.
        support.check(sam, cfn, self.template_path)
        if any(r["Type"] == "AWS::StepFunctions::StateMachine" for r in cfn["Resources"].values()):
            stepfunctions.install()  # imports moto's ASL interpreter, which takes a while
        site = f"{self.host}:{self.port}"
        self.provisioned = resources.provision(
            cfn,
            parameters,
            REGION,
            {"Distribution": resources.Known("local", {"DomainName": site})},
            session,
            resources.STACK_NAME if self.template_path == template.TEMPLATE_PATH else f"local-{root.name}",
        )
        add_to_path(template.layer_dirs(sam, root))
        if "SesSenderEmail" in parameters:
            # In AWS an operator verifies the sender once; SES (and moto) refuse an unverified one.
            session.client("ses").verify_email_identity(EmailAddress=parameters["SesSenderEmail"])
        # Handlers reach S3 through the gateway, so presigned URLs are on the site's origin.
        base_environment = {
            **FAKE_CREDENTIALS,
            "AWS_ENDPOINT_URL": self.moto_url,
            "AWS_ENDPOINT_URL_S3": self.url,
            "EPTSP_AWS_READ_TIMEOUT_SECONDS": "60",  # see eptsp.aws: the emulator is slower than AWS
        }
        routes = []
        specs = template.functions(sam, root)
        code_roots = [*template.layer_dirs(sam, root), *{spec.code_dir for spec in specs}]
        for spec in specs:
            self.functions[spec.logical_id] = LocalFunction(
                spec,
                self.provisioned.physical_ids[spec.logical_id],
                self.provisioned.function_environments[spec.logical_id],
                base_environment,
                REGION,
                resources.ACCOUNT_ID,
                code_roots=code_roots,
            )
            routes.extend(spec.routes)

        ids = self.provisioned.physical_ids
        authorizers = {}
        for spec in template.jwt_authorizers(sam):
            pool_id = ids[spec.user_pool]
            authorizers[spec.name] = JwtAuthorizer(
                issuer=f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}",
                audiences=[ids[client] for client in spec.audiences],
                jwks_url=f"{self.moto_url}/{pool_id}/.well-known/jwks.json",
            )
        self.s3_events = S3EventSource(s3_events.subscriptions(specs, self.functions, ids), REGION)
        # Only the documents bucket is on the site's origin, and only for the handlers' credentials.
        proxy = (
            None
            if "DocumentsBucket" not in ids
            else S3Proxy(
                self.moto_url,
                ids["DocumentsBucket"],
                self.s3_events,
                session.client("s3"),
                session.get_credentials().get_frozen_credentials(),
                REGION,
            )
        )
        known = resources.parameters_and_pseudo_parameters(parameters, REGION)
        headers = security_headers(sam, known)
        self.event_sources = EventSources(
            self.provisioned, self.functions, session, self.poll_interval, self.schedule_speed
        )
        # The product's helpers read its accounts; a test template without them gets only the status.
        helpers = {**(self._local_helpers() if "AccountsTable" in ids else {}), **self.event_sources.helpers()}
        self.gateway = Gateway(routes, self.functions, BuiltSite(STATICS_DIR), authorizers, helpers, proxy, headers)
        if self.seed:
            self._seed()
        self.event_sources.start()
        self._thread = threading.Thread(target=self._server.serve_forever, name="local-gateway", daemon=True)
        self._thread.start()
        return self

    def _configure_moto(self) -> None:
        import requests

        # Step Functions on moto runs the real ASL only when asked to.
        requests.post(
            f"{self.moto_url}/moto-api/config", json={"stepfunctions": {"execute_state_machine": True}}, timeout=10
        )

    def _seed(self) -> None:
        from tools.demo_accounts import create_demo_accounts, services_for
        from tools.load_catalogue import load_catalogue

        ids = self.provisioned.physical_ids
        self.catalogue_count = load_catalogue(ids["CatalogueTable"])
        self.totp_secrets.update(create_demo_accounts(*services_for(ids)))

    def _local_helpers(self) -> dict[str, Any]:
        from werkzeug.wrappers import Response

        from eptsp.accounts.repository import AccountsRepository
        from eptsp.aws import dynamodb_table
        from tools.demo_accounts import demo_accounts

        def as_json(value: Any, status: int = 200) -> Response:
            return Response(json.dumps(value, ensure_ascii=False), status=status, content_type="application/json")

        def outbox(_request: Any, _params: dict[str, str]) -> Response:
            return as_json(self.outbox.messages())

        def captcha(_request: Any, params: dict[str, str]) -> Response:
            table = dynamodb_table(self.provisioned.physical_ids["AccountsTable"])
            answer = AccountsRepository(table).peek_captcha(params["captchaId"])
            if answer is None:
                return as_json({"code": "TIDAK_DITEMUKAN", "message": "Kode keamanan tidak ada atau kedaluwarsa."}, 404)
            return as_json({"answer": answer})

        def accounts(_request: Any, _params: dict[str, str]) -> Response:
            return as_json(demo_accounts(self.totp_secrets))

        def totp(_request: Any, params: dict[str, str]) -> Response:
            from tools.demo_accounts import totp_code

            secret = self.totp_secrets.get(params["username"])
            if secret is None:
                return as_json({"code": "TIDAK_DITEMUKAN", "message": "Bukan petugas demo lokal."}, 404)
            return as_json({"code": totp_code(secret)})

        return {
            "/_local/outbox": outbox,
            "/_local/captcha/{captchaId}": captcha,
            "/_local/accounts": accounts,
            "/_local/totp/{username}": totp,
        }

    def _dispatch(self, environ: dict[str, Any], start_response: Any) -> Any:
        try:
            # Local-only actions (POST), e.g. running a schedule now; the gateway's helpers are GET.
            action = self.event_sources.action(environ) if self.event_sources is not None else None
            if action is not None:
                return action(environ, start_response)
            return self.gateway(environ, start_response)
        finally:
            self.outbox.collect()

    def stop(self) -> None:
        if self._server is not None:
            if self._thread is not None:  # shutdown() waits for a serve_forever() that never ran otherwise
                self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self.s3_events is not None:
            self.s3_events.stop()
        if self.event_sources is not None:
            self.event_sources.stop()
        if self._moto is not None:
            self._moto.stop()
            self._moto = None
        if self._environ_before is not None:
            os.environ.clear()
            os.environ.update(self._environ_before)
            self._environ_before = None

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def quiet_server_logs() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

"""The API fuzzed from its own OpenAPI document (schemathesis), against the session's local stack.

Every operation of /api/openapi.json, in every phase schemathesis has (examples, coverage,
fuzzing, stateful), as an anonymous caller, a signed-in applicant and an officer (admin):
no 5xx, every declared response in its declared schema and media type, and a body in a media
type the operation does not declare refused with 415 (or 401/403 when the caller is refused
before the body is read). The applicant's run is given a draft, an uploaded file and a seeded
permit so it reaches the logic behind the 404s.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.core import NOT_SET
from schemathesis.engine import Status, events
from schemathesis.engine.run import PhaseName
from schemathesis.generation.meta import CoverageScenario, coverage_scenario

from tests.integration.accounts_helpers import created_officer, demo_token, officer_login, registered_applicant
from tests.integration.documents_helpers import PDF, uploaded
from tools.load_catalogue import read_catalogue

CATALOGUE = read_catalogue()
IZIN = CATALOGUE.izin[0]
JENIS = IZIN.layanan[0].jenis_permohonan[0]
# Enough to cover every operation in a few minutes for the three callers together.
MAX_EXAMPLES = 5


def with_own_session(path: str, token: str) -> dict:
    """A POST fuzzed with a session (and account) of its own: sign-out, so the rest of a signed-in
    run stays signed in; an officer's password change, whose wrong old passwords count toward
    the account's lockout."""
    return {"include-method": "POST", "include-path": path, "headers": {"Authorization": f"Bearer {token}"}}


@schemathesis.check
def undeclared_media_type_is_refused(ctx, response, case):
    """A body sent as a media type the operation does not declare is a 415 (or refused before it is read)."""
    if coverage_scenario(case) is not CoverageScenario.UNSUPPORTED_CONTENT_TYPE:
        return None
    if response.status_code not in (401, 403, 415):
        raise AssertionError(
            f"Content-Type {case.headers.get('Content-Type')!r} is not declared by {case.operation.label}: "
            f"expected 415, got {response.status_code}"
        )
    return None


@dataclass
class FuzzRun:
    operations: set[str] = field(default_factory=set)
    cases_per_phase: collections.Counter = field(default_factory=collections.Counter)
    failures: list[str] = field(default_factory=list)
    media_type_probes: int = 0
    answers: collections.Counter = field(default_factory=collections.Counter)  # (operation, status)
    seconds_per_phase: dict[str, float] = field(default_factory=dict)
    stop_reason: str = ""

    @property
    def cases(self) -> int:
        return sum(self.cases_per_phase.values())


def describe(check: str, case, response) -> str:
    body = "" if case.body is None or case.body is NOT_SET else repr(case.body)[:200]
    answer = f"{response.status_code} {response.text[:300]}" if response is not None else "no response"
    content_type = case.headers.get("Content-Type", "") if case.headers else ""
    return f"{check}: {case.method} {case.formatted_path} query={case.query} [{content_type}] {body} -> {answer}"


def fuzz(base_url: str, token: str | None, parameters: dict, operations: list[dict]) -> FuzzRun:
    config = SchemathesisConfig.from_dict(
        {
            "workers": 1,
            "seed": 20261129,
            "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
            # The document has no examples of its own: one generated per operation stands in.
            "phases": {"examples": {"fill-missing": True}},
            "checks": {
                "enabled": False,
                "not_a_server_error": {"enabled": True},
                "response_schema_conformance": {"enabled": True},
                "content_type_conformance": {"enabled": True},
                "undeclared_media_type_is_refused": {"enabled": True},
            },
            "parameters": parameters,
            "operations": operations,
        }
    )
    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json", config=config)
    schema.config.update(base_url=base_url, headers={"Authorization": f"Bearer {token}"} if token else None)
    run = FuzzRun()
    started = 0.0
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished) and event.is_test_scenario:
            if event.label and event.phase is not PhaseName.STATEFUL_TESTING:
                run.operations.add(event.label)
            run.cases_per_phase[event.phase.value] += len(event.recorder.cases)
            for case_id, node in event.recorder.cases.items():
                run.media_type_probes += coverage_scenario(node.value) is CoverageScenario.UNSUPPORTED_CONTENT_TYPE
                if (response := event.recorder.find_response(case_id=case_id)) is not None:
                    run.answers[(node.value.operation.label, response.status_code)] += 1
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.status == Status.FAILURE:
                        case = event.recorder.cases[case_id].value
                        run.failures.append(describe(check.name, case, event.recorder.find_response(case_id=case_id)))
        elif isinstance(event, events.PhaseStarted):
            started = event.timestamp
        elif isinstance(event, events.PhaseFinished):
            run.seconds_per_phase[event.phase.name.value] = round(event.timestamp - started)
        elif isinstance(event, events.FatalError):
            raise event.exception
        elif isinstance(event, events.EngineFinished):
            run.stop_reason = event.stop_reason.value
    return run


@pytest.fixture(scope="module")
def documented_operations(api) -> set[str]:
    document = api.get("/api/openapi.json").json()
    return {f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item}


@pytest.fixture(scope="module")
def applicant_world(api):
    """A signed-in applicant with two drafts and two uploaded files: one of each to delete."""
    _, token = registered_applicant(api)

    def draft() -> str:
        created = api.post("/api/applications", token=token, json={"jenisPermohonanId": JENIS.id})
        assert created.status_code == 201, created.text
        return created.json()["applicationId"]

    def file(name: str) -> str:
        return uploaded(api, token, name, "application/pdf", PDF)["fileId"]

    return {
        "token": token,
        "parameters": {
            "path.applicationId": draft(),
            "path.fileId": file("tetap.pdf"),
            "path.requirementId": JENIS.persyaratan[0].id,
        },
        "operations": [
            {
                "include-method": "DELETE",
                "include-path": "/api/applications/{applicationId}",
                "parameters": {"path.applicationId": draft()},
            },
            {
                "include-method": "DELETE",
                "include-path": "/api/files/{fileId}",
                "parameters": {"path.fileId": file("hapus.pdf")},
            },
        ],
    }


def fuzzes_clean(caller: str, stack, api, documented_operations: set[str], applicant_world: dict | None) -> None:
    """The whole fuzz run of one caller (``anonim``, ``pemohon``, ``petugas``), with its assertions.

    Each caller's run is a test file of its own (test_fuzz_<caller>.py), so the runs, the
    longest tests there are, go to different workers of ``make test``."""
    # Given the seeded permit (and, for the applicant, its own draft and files)
    parameters = {"path.izinId": IZIN.id, "path.jenisPermohonanId": JENIS.id}
    operations: list[dict] = []
    token = None
    if caller == "pemohon":
        token = applicant_world["token"]
        parameters |= applicant_world["parameters"]
        operations = [
            *applicant_world["operations"],
            with_own_session("/api/auth/logout", registered_applicant(api)[1]),
        ]
    elif caller == "petugas":
        token = demo_token(api, "admin")
        spare, secret = created_officer(api, role="admin")
        spare_session = officer_login(api, spare["nip"], spare["password"], secret).json()["accessToken"]
        operations = [
            with_own_session("/api/officer/auth/logout", demo_token(api, "admin")),
            with_own_session("/api/officer/me/password", spare_session),
        ]

    # When schemathesis runs every phase over every operation
    run = fuzz(stack.url.rstrip("/"), token, parameters, operations)
    print(
        f"\nfuzz {caller}: {len(run.operations)} operations, {run.cases} cases "
        f"{dict(run.cases_per_phase)}, {run.media_type_probes} with an undeclared media type, "
        f"{len({operation for operation, status in run.answers if 200 <= status < 300})} operations answered 2xx, "
        f"{len(run.failures)} failures ({run.stop_reason}), seconds {run.seconds_per_phase}"
    )

    # Then it covered them all and nothing failed
    assert run.stop_reason == "completed"
    assert run.operations == documented_operations
    assert all(run.cases_per_phase[phase] for phase in ("examples", "coverage", "fuzzing", "stateful"))
    assert run.media_type_probes
    # and the seeded ids took it past the 404s
    reached = {operation for (operation, status), _ in run.answers.items() if status == 200}
    assert {
        "GET /api/catalogue/izin/{izinId}",
        "GET /api/catalogue/permohonan/{jenisPermohonanId}/persyaratan",
    } <= reached
    if caller == "pemohon":
        assert {"GET /api/applications/{applicationId}", "GET /api/files/{fileId}"} <= reached
    distinct = collections.Counter(run.failures)
    assert not distinct, f"{len(run.failures)} failing cases:\n" + "\n".join(
        f"{count} x {failure}" for failure, count in distinct.most_common()
    )

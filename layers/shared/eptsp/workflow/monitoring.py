"""Monitoring Izin: what anyone holding a receipt number may see, and the History Proses
that only the owner and officers see (officer names only for officers)."""

from __future__ import annotations

from eptsp.errors import NotFound
from eptsp.identity import Caller
from eptsp.workflow import receipts
from eptsp.workflow.models import (
    ACTION_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    Dossier,
    HistoryEvent,
    HistoryOutput,
    MonitoringOutput,
    PerbaikanOutput,
    RiwayatOutput,
)
from eptsp.workflow.repository import WorkflowRepository

UNKNOWN_RECEIPT = NotFound("Nomor resi tidak ditemukan. Periksa kembali nomor pada resi Anda.")


def public_fields(dossier: Dossier) -> dict:
    return {
        "receipt_number": dossier.receipt_number,
        "izin": {"id": dossier.izin["id"], "name": dossier.izin["name"]},
        "layanan": {"id": dossier.layanan["id"], "name": dossier.layanan["name"]},
        "jenis_permohonan": {
            "id": dossier.jenis_permohonan["id"],
            "name": dossier.jenis_permohonan["name"],
            "jenis": dossier.jenis_permohonan["jenis"],
        },
        "status": dossier.status,
        "status_label": STATUS_LABELS[dossier.status],
        "stage": dossier.stage,
        "stage_label": STAGE_LABELS.get(dossier.stage) if dossier.stage else None,
        "submitted_at": dossier.submitted_at,
        "estimated_finish": dossier.estimated_finish,
    }


def perbaikan_output(dossier: Dossier) -> PerbaikanOutput | None:
    p = dossier.perbaikan
    if p is None:
        return None
    return PerbaikanOutput(
        notes=p.notes,
        sections=p.sections,
        requirements=p.requirements,
        deadline=p.deadline,
        requested_at=p.requested_at,
    )


def history_output(events: list[HistoryEvent], for_officer: bool) -> list[HistoryOutput]:
    return [
        HistoryOutput(
            at=e.at,
            stage=e.stage,
            stage_label=STAGE_LABELS.get(e.stage, e.stage),
            action=e.action,
            action_label=ACTION_LABELS[e.action],
            actor_role=e.actor_role,
            actor_name=e.actor.name if (for_officer and e.actor) else None,
            notes=e.notes,
        )
        for e in events
    ]


class MonitoringService:
    def __init__(self, workflow: WorkflowRepository):
        self._workflow = workflow

    def _find(self, receipt_number: str) -> Dossier:
        normalized = receipts.normalize(receipt_number)
        dossier = self._workflow.by_receipt(normalized) if normalized else None
        if dossier is None:
            raise UNKNOWN_RECEIPT
        return dossier

    def public(self, receipt_number: str) -> MonitoringOutput:
        return MonitoringOutput(**public_fields(self._find(receipt_number)))

    def riwayat(self, caller: Caller, receipt_number: str) -> RiwayatOutput:
        dossier = self._find(receipt_number)
        if not caller.is_officer and dossier.owner_id != caller.user_id:
            raise UNKNOWN_RECEIPT  # another applicant's file is not theirs to know about
        return RiwayatOutput(
            **public_fields(dossier),
            history=history_output(self._workflow.history(dossier.application_id), caller.is_officer),
            perbaikan=perbaikan_output(dossier),
            decision_notes=dossier.decision_notes,
        )


def monitoring_service(applications_table: str) -> MonitoringService:
    from eptsp.aws import dynamodb_table

    return MonitoringService(WorkflowRepository(dynamodb_table(applications_table)))

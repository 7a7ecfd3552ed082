"""Draft rules: starting an application from the catalogue, saving sections under
optimistic locking, attaching verified files, the declaration, completeness."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from eptsp.accounts.repository import AccountsRepository
from eptsp.applications import sections as rules
from eptsp.applications.models import (
    STAGE_LABELS,
    STATUS_LABELS,
    ApplicationList,
    ApplicationOutput,
    ApplicationSummary,
    Attachment,
    AttachRequest,
    Completeness,
    DeclarationRequest,
    MissingItem,
    Progress,
    SectionRequest,
)
from eptsp.applications.repository import ApplicationsRepository
from eptsp.catalogue.models import DetailField, Persyaratan
from eptsp.catalogue.repository import CatalogueRepository
from eptsp.errors import Conflict, DomainError, NotFound, ValidationFailed
from eptsp.files.models import CONTENT_TYPES
from eptsp.files.repository import FilesRepository
from eptsp.identity import Caller
from eptsp.observability import logger
from eptsp.wilayah import KABUPATEN_KOTA

if TYPE_CHECKING:
    from eptsp.idempotency import Idempotency
    from eptsp.sessions import Prefetched

# Changes allowed: a draft, and (only what the officer listed) a file back for perbaikan.
EDITABLE = ("draft", "perbaikan")
# A retried "start this application" within a day gives the first draft again.
CREATE_IDEMPOTENCY_SECONDS = 24 * 3600
READY_TO_SEND = "Siap dikirim"


class StaleVersion(Conflict):
    code = "VERSI_USANG"
    default_message = (
        "Permohonan ini sudah diubah di tempat lain (misalnya di tab atau perangkat lain). "
        "Isian Anda belum tersimpan: muat ulang permohonan, lalu simpan lagi."
    )


class NotADraft(Conflict):
    code = "BUKAN_DRAFT"
    default_message = "Permohonan ini sudah dikirim dan tidak dapat diubah lagi."


class NotEditable(Conflict):
    code = "TIDAK_DAPAT_DIUBAH"
    default_message = "Bagian ini tidak diminta untuk diperbaiki dan tidak dapat diubah."


class Incomplete(Conflict):
    code = "BELUM_LENGKAP"


def _now() -> str:
    # Milliseconds: lists sort by these times, newest first.
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def applicant_kind(item: dict[str, Any]) -> str | None:
    """Perorangan or badan usaha: fixed by the permit, else as chosen in Data Pemohon (None: not yet).

    Drafts started before the permit's ``company`` rule was snapshotted have none: the choice decides."""
    fixed = {"required": "badan_usaha", "none": "perorangan"}.get(item.get("company"))
    return fixed or ((item.get("sectionData") or {}).get("pemohon") or {}).get("applyingAs")


def applicable_sections(item: dict[str, Any]) -> list[dict[str, Any]]:
    """The sections this applicant fills: Data Perusahaan only for a badan usaha, and then required."""
    kind = applicant_kind(item)
    sections = []
    for section in item["sections"]:
        if section["id"] == "perusahaan" and kind == "perorangan":
            continue
        if section["id"] == "perusahaan" and kind == "badan_usaha":
            section = {**section, "required": True}
        sections.append(section)
    return sections


def applicable_persyaratan(item: dict[str, Any]) -> list[dict[str, Any]]:
    """The requirements of this applicant; before the choice, those of a badan usaha are optional."""
    kind = applicant_kind(item)
    requirements = []
    for requirement in item["persyaratan"]:
        only_for = requirement.get("appliesTo")
        if only_for and kind is None:
            requirement = {**requirement, "mandatory": False}
        elif only_for and only_for != kind:
            continue
        requirements.append(requirement)
    return requirements


def detail_prefill(item: dict[str, Any]) -> dict[str, Any]:
    """Data Detail fields that repeat Lokasi Izin, taken from it (until Data Detail is saved)."""
    lokasi = (item.get("sectionData") or {}).get("lokasi") or {}
    values: dict[str, Any] = {}
    if lokasi.get("kabupatenKota") in KABUPATEN_KOTA:
        values["lokasi.kabupatenKota"] = KABUPATEN_KOTA[lokasi["kabupatenKota"]]
    if lokasi.get("latitude") is not None and lokasi.get("longitude") is not None:
        values["lokasi.koordinat"] = f"{lokasi['latitude']}, {lokasi['longitude']}"
    prefill = {}
    for field in item["detailFields"]:
        value = values.get(field.get("prefillFrom") or "")
        if value is not None and (field["type"] != "select" or value in (field.get("options") or [])):
            prefill[field["id"]] = value
    return prefill


def _missing_parts(item: dict[str, Any]) -> tuple[list[MissingItem], int]:
    """Sections and attachments still missing, and how many there are in all."""
    missing: list[MissingItem] = []
    data = item.get("sectionData") or {}
    sections = [section for section in applicable_sections(item) if section["required"]]
    for section in sections:
        if not data.get(section["id"]):
            missing.append(MissingItem(kind="section", id=section["id"], message=f"{section['name']} belum diisi."))
    attachments = item.get("attachments") or {}
    requirements = [requirement for requirement in applicable_persyaratan(item) if requirement["mandatory"]]
    for requirement in requirements:
        if requirement["mandatory"] and requirement["id"] not in attachments:
            missing.append(
                MissingItem(
                    kind="persyaratan",
                    id=requirement["id"],
                    message=f"Lampiran '{requirement['name']}' belum diunggah.",
                )
            )
    return missing, len(sections) + len(requirements)


def progress(item: dict[str, Any]) -> Progress:
    missing, total = _missing_parts(item)
    return Progress(done=total - len(missing), total=total)


def completeness(item: dict[str, Any], with_declaration: bool = True) -> Completeness:
    """What is still missing, in words an applicant understands."""
    missing, _ = _missing_parts(item)
    if with_declaration and not (item.get("declaration") or {}).get("agreed"):
        missing.append(
            MissingItem(
                kind="pernyataan",
                id="pernyataan",
                message="Centang pernyataan bahwa data yang Anda isi telah lengkap dan benar.",
            )
        )
    return Completeness(complete=not missing, missing=missing)


def status_label(item: dict[str, Any]) -> str:
    # A draft with nothing missing but the declaration (given at Kirim) is ready to send.
    if item["status"] == "draft" and not completeness(item, with_declaration=False).missing:
        return READY_TO_SEND
    return STATUS_LABELS[item["status"]]


def summary(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "application_id": item["applicationId"],
        "izin": item["izin"],
        "layanan": item["layanan"],
        "jenis_permohonan": item["jenisPermohonan"],
        "status": item["status"],
        "status_label": status_label(item),
        "complete": completeness(item).complete,
        "progress": progress(item),
        "stage": item.get("stage"),
        "stage_label": STAGE_LABELS.get(item.get("stage") or ""),
        "receipt_number": item.get("receiptNumber"),
        "submitted_at": item.get("submittedAt"),
        "estimated_finish": item.get("estimatedFinish"),
        "perbaikan": item.get("perbaikan") if item["status"] == "perbaikan" else None,
        "decision_notes": item.get("decisionNotes"),
        "permit_id": item.get("permitId") if item["status"] == "terbit" else None,
        "permit_number": item.get("permitNumber") if item["status"] == "terbit" else None,
        "created_at": item["createdAt"],
        "updated_at": item["updatedAt"],
    }


def application_output(item: dict[str, Any]) -> ApplicationOutput:
    attachments = [
        Attachment(requirement_id=requirement_id, **{k: v for k, v in value.items() if k != "requirementId"})
        for requirement_id, value in (item.get("attachments") or {}).items()
    ]
    return ApplicationOutput(
        **summary(item),
        version=item["version"],
        sla_working_days=item["slaWorkingDays"],
        fee=item["fee"],
        company=item["company"],
        field_survey=item["fieldSurvey"],
        technical_review=item.get("technicalReview", True),
        perbaikan_days=item.get("perbaikanDays", 14),
        sections=applicable_sections(item),
        persyaratan=applicable_persyaratan(item),
        detail_fields=item["detailFields"],
        data=item.get("sectionData") or {},
        prefill={**(item.get("prefill") or {}), "detail": detail_prefill(item)},
        attachments=attachments,
        declaration=bool((item.get("declaration") or {}).get("agreed")),
        completeness=completeness(item),
        applicant_kind=applicant_kind(item),
    )


class ApplicationService:
    def __init__(
        self,
        applications: ApplicationsRepository,
        catalogue: CatalogueRepository,
        files: FilesRepository,
        accounts: AccountsRepository,
        idempotency: Idempotency,
    ):
        self._applications = applications
        self._catalogue = catalogue
        self._files = files
        self._accounts = accounts
        self._idempotency = idempotency

    # ------------------------------------------------------------- reading
    def _owned(self, caller: Caller, application_id: str) -> dict[str, Any]:
        item = self._applications.get(application_id)
        if not item or item["ownerId"] != caller.user_id:
            if item:
                logger.warning(
                    "Access to another applicant's application refused",
                    extra={"application_id": application_id, "caller": caller.user_id},
                )
            raise NotFound("Permohonan tidak ditemukan.")
        return item

    def get(self, caller: Caller, application_id: str) -> ApplicationOutput:
        return application_output(self._owned(caller, application_id))

    def completeness(self, caller: Caller, application_id: str) -> Completeness:
        return completeness(self._owned(caller, application_id))

    def list(
        self,
        caller: Caller,
        limit: int,
        cursor: str | None,
        status: str | None,
        text: str | None,
        jenis_permohonan_id: str | None = None,
    ) -> ApplicationList:
        items, next_cursor = self._applications.list_for_owner(
            caller.user_id, limit, cursor, status, text, jenis_permohonan_id
        )
        return ApplicationList(items=[ApplicationSummary(**summary(item)) for item in items], next_cursor=next_cursor)

    # ------------------------------------------------------------- starting
    def create(
        self, caller: Caller, jenis_permohonan_id: str, idempotency_key: str | None = None, lambda_context: Any = None
    ) -> ApplicationOutput:
        """A new draft; the same ``idempotency_key`` from the same caller gives the first one again."""
        return self._idempotency.once(
            caller_id=caller.user_id,
            key=idempotency_key,
            payload={"jenisPermohonanId": jenis_permohonan_id},
            output=ApplicationOutput,
            create=lambda: self._create(caller, jenis_permohonan_id),
            lambda_context=lambda_context,
        )

    def _create(self, caller: Caller, jenis_permohonan_id: str) -> ApplicationOutput:
        entry = self._catalogue.get_persyaratan(jenis_permohonan_id)
        if entry is None:
            raise NotFound(f"Jenis permohonan '{jenis_permohonan_id}' tidak ditemukan.")
        profile = self._accounts.get_profile(caller.username) or {}
        prefill: dict[str, dict[str, Any]] = {
            "pemohon": {
                key: profile[source]
                for key, source in {
                    "nik": "nik",
                    "name": "name",
                    "email": "email",
                    "phone": "phone",
                    "address": "address",
                    "kabupatenKota": "kabupatenKota",
                    "npwp": "npwp",
                }.items()
                if profile.get(source)
            }
        }
        if entry.company != "none":
            company = self._applications.latest_company_data(caller.user_id)
            if company:
                prefill["perusahaan"] = company
        timestamp = _now()
        item = {
            "applicationId": secrets.token_urlsafe(12),
            "ownerId": caller.user_id,
            "ownerUsername": caller.username,
            "status": "draft",
            "version": 1,
            "izin": entry.izin.model_dump(),
            "layanan": entry.layanan.model_dump(),
            "jenisPermohonan": {
                "id": entry.jenis_permohonan.id,
                "name": entry.jenis_permohonan.name,
                "jenis": entry.jenis_permohonan.jenis,
            },
            "slaWorkingDays": entry.sla_working_days,
            "fee": entry.fee,
            "company": entry.company,
            "fieldSurvey": entry.field_survey,
            "technicalReview": entry.technical_review,
            "perbaikanDays": entry.perbaikan_days,
            "validityYears": entry.validity_years,
            "sections": [s.model_dump() for s in entry.sections],
            "persyaratan": [p.model_dump(mode="json") for p in entry.persyaratan],
            "detailFields": [f.model_dump(mode="json", exclude_none=True) for f in entry.detail_fields],
            "sectionData": {},
            "attachments": {},
            "declaration": {"agreed": False},
            "prefill": prefill,
            "searchText": " ".join([entry.izin.name, entry.layanan.name, entry.jenis_permohonan.name]).lower(),
            "createdAt": timestamp,
            "updatedAt": timestamp,
        }
        self._applications.create(item)
        return application_output(item)

    # ------------------------------------------------------------- changing
    def _apply(self, caller: Caller, item: dict[str, Any], actions: list[dict[str, Any]]) -> None:
        """Run a change; a failed guard becomes the error that explains it."""
        failed = self._applications.transact(actions)
        if not failed:
            return
        if failed[0] == "ConditionalCheckFailed":
            current = self._applications.get(item["applicationId"])
            if not current or current["ownerId"] != caller.user_id:
                raise NotFound("Permohonan tidak ditemukan.")
            if current["status"] not in EDITABLE:
                raise NotEditable("Permohonan ini sudah dikirim dan tidak dapat diubah lagi.")
            raise StaleVersion()
        if any(code == "ConditionalCheckFailed" for code in failed[1:]):
            raise Conflict("Berkas tidak lagi tersedia. Pilih atau unggah berkas lain.", code="BERKAS_TIDAK_SIAP")
        raise DomainError("Perubahan tidak dapat disimpan. Coba lagi.", code="GAGAL_MENYIMPAN")

    def _editable(
        self,
        caller: Caller,
        application_id: str,
        version: int | None,
        section: str | None = None,
        requirement: str | None = None,
    ) -> dict[str, Any]:
        """A draft, or a file back for perbaikan where only the listed sections and requirements change."""
        item = self._owned(caller, application_id)
        if item["status"] == "perbaikan":
            fix = item.get("perbaikan") or {}
            if (
                (section is None and requirement is None)
                or (section is not None and section not in fix.get("sections", []))
                or (requirement is not None and requirement not in fix.get("requirements", []))
            ):
                raise NotEditable()
        elif item["status"] != "draft":
            raise NotEditable("Permohonan ini sudah dikirim dan tidak dapat diubah lagi.")
        if version is not None and version != item["version"]:
            raise StaleVersion()
        return item

    def save_section(
        self, caller: Caller, application_id: str, section: str, request: SectionRequest
    ) -> ApplicationOutput:
        item = self._editable(caller, application_id, request.version, section=section)
        if section not in {s["id"] for s in item["sections"]}:
            raise ValidationFailed("Jenis permohonan ini tidak memerlukan Data Perusahaan.", field="section")
        if section == "perusahaan" and applicant_kind(item) == "perorangan":
            raise ValidationFailed(
                "Anda mengajukan sebagai perorangan: Data Perusahaan tidak diisi. "
                "Ubah pilihan di Data Pemohon bila Anda mengajukan sebagai badan usaha.",
                field="section",
            )
        if section == "detail":
            fields = [DetailField.model_validate(f) for f in item["detailFields"]]
            data = rules.validate_detail_section(fields, request.data)
        else:
            data = rules.validate_fixed_section(section, request.data)
        removes: list[str] = []
        if section == "pemohon":
            if data["nik"] != caller.username:
                raise ValidationFailed("NIK pada Data Pemohon harus NIK akun Anda.", field="data.nik")
            removes = self._check_applicant_kind(item, data)
        timestamp = _now()
        sets = {f"sectionData.{section}": data, "updatedAt": timestamp, "declaration": {"agreed": False}}
        self._apply(
            caller,
            item,
            [self._applications.update_action(application_id, caller.user_id, item["version"], sets, removes)],
        )
        return self.get(caller, application_id)

    @staticmethod
    def _check_applicant_kind(item: dict[str, Any], pemohon: dict[str, Any]) -> list[str]:
        """The choice must fit the permit; a person has no jabatan, and drops Data Perusahaan."""
        chosen = pemohon.get("applyingAs")
        fixed = {"required": "badan_usaha", "none": "perorangan"}.get(item["company"])
        if fixed and chosen and chosen != fixed:
            words = {"badan_usaha": "badan usaha", "perorangan": "perorangan"}
            raise ValidationFailed(f"Izin ini hanya dapat diajukan sebagai {words[fixed]}.", field="data.applyingAs")
        # Only an explicit choice is held against a jabatan (older clients send one for any permit).
        if chosen == "perorangan" and pemohon.get("position"):
            raise ValidationFailed(
                "Jabatan hanya diisi oleh pemohon yang mengajukan atas nama badan usaha.", field="data.position"
            )
        if chosen == "perorangan" and (item.get("sectionData") or {}).get("perusahaan"):
            return ["sectionData.perusahaan"]
        return []

    def attach(
        self, caller: Caller, application_id: str, requirement_id: str, request: AttachRequest
    ) -> ApplicationOutput:
        item = self._editable(caller, application_id, request.version, requirement=requirement_id)
        requirement = next(
            (Persyaratan.model_validate(p) for p in item["persyaratan"] if p["id"] == requirement_id), None
        )
        if requirement is None:
            raise NotFound(f"Persyaratan '{requirement_id}' tidak ada pada permohonan ini.")
        if requirement_id not in {p["id"] for p in applicable_persyaratan(item)}:
            raise ValidationFailed(
                f"'{requirement.name}' hanya untuk pemohon badan usaha; Anda mengajukan sebagai perorangan.",
                field="requirementId",
            )
        file = self._files.owned(caller.user_id, request.file_id)
        if file["status"] != "siap":
            raise Conflict(
                "Berkas ini belum lolos pemeriksaan (masih diperiksa atau ditolak).", code="BERKAS_TIDAK_SIAP"
            )
        if CONTENT_TYPES[file["contentType"]] not in requirement.file_types:
            accepted = ", ".join(t.upper() for t in requirement.file_types)
            raise ValidationFailed(f"'{requirement.name}' hanya menerima berkas {accepted}.", field="fileId")
        attachments = item.get("attachments") or {}
        timestamp = _now()
        attachment = {
            "fileId": file["fileId"],
            "fileName": file["fileName"],
            "contentType": file["contentType"],
            "attachedAt": timestamp,
            # What Kirim freezes without reading the file again (its object's key follows from the ids).
            "versionId": file.get("versionId"),
        }
        sets = {f"attachments.{requirement_id}": attachment, "updatedAt": timestamp, "declaration": {"agreed": False}}
        actions = [
            self._applications.update_action(application_id, caller.user_id, item["version"], sets),
            self._files.use_action(file["fileId"], caller.user_id, application_id, item["izin"]["name"]),
        ]
        previous = attachments.get(requirement_id)
        if (
            previous
            and item["status"] == "draft"
            and previous["fileId"] != file["fileId"]
            and not self._used_elsewhere(attachments, requirement_id, previous["fileId"])
        ):
            actions.append(self._files.release_action(previous["fileId"], application_id))
        self._apply(caller, item, actions)
        return self.get(caller, application_id)

    def detach(
        self, caller: Caller, application_id: str, requirement_id: str, version: int | None
    ) -> ApplicationOutput:
        item = self._editable(caller, application_id, version, requirement=requirement_id)
        attachments = item.get("attachments") or {}
        if requirement_id not in attachments:
            raise NotFound(f"Tidak ada lampiran untuk persyaratan '{requirement_id}'.")
        file_id = attachments[requirement_id]["fileId"]
        sets = {"updatedAt": _now(), "declaration": {"agreed": False}}
        actions = [
            self._applications.update_action(
                application_id, caller.user_id, item["version"], sets, removes=[f"attachments.{requirement_id}"]
            )
        ]
        if item["status"] == "draft" and not self._used_elsewhere(attachments, requirement_id, file_id):
            actions.append(self._files.release_action(file_id, application_id))
        self._apply(caller, item, actions)
        return self.get(caller, application_id)

    @staticmethod
    def _used_elsewhere(attachments: dict[str, Any], requirement_id: str, file_id: str) -> bool:
        return any(rid != requirement_id and a["fileId"] == file_id for rid, a in attachments.items())

    def declare(self, caller: Caller, application_id: str, request: DeclarationRequest) -> ApplicationOutput:
        item = self._editable(caller, application_id, request.version)
        if request.agreed:
            missing = completeness(item, with_declaration=False).missing
            if missing:
                raise Incomplete(
                    "Pernyataan belum dapat dicentang karena masih ada yang belum lengkap: "
                    + " ".join(m.message for m in missing)
                )
        sets = {"declaration": {"agreed": request.agreed, "at": _now()}, "updatedAt": _now()}
        self._apply(
            caller, item, [self._applications.update_action(application_id, caller.user_id, item["version"], sets)]
        )
        return self.get(caller, application_id)

    def cancel(self, caller: Caller, application_id: str) -> None:
        item = self._owned(caller, application_id)
        if item["status"] != "draft":
            raise NotADraft("Hanya permohonan yang belum dikirim (draft) yang dapat dibatalkan.")
        file_ids = {a["fileId"] for a in (item.get("attachments") or {}).values()}
        actions = [self._applications.delete_action(application_id, caller.user_id)]
        actions += [self._files.release_action(file_id, application_id) for file_id in sorted(file_ids)]
        self._apply(caller, item, actions)


def application_service(
    applications_table: str,
    catalogue_table: str,
    files_table: str,
    accounts_table: str,
    idempotency_table: str,
    prefetched: Prefetched | None = None,
) -> ApplicationService:
    """The service of one request; ``prefetched``: what its session check read along."""
    from eptsp.aws import client, dynamodb_table
    from eptsp.idempotency import Idempotency

    return ApplicationService(
        ApplicationsRepository(dynamodb_table(applications_table), prefetched),
        CatalogueRepository(dynamodb_table(catalogue_table)),
        FilesRepository(dynamodb_table(files_table)),
        AccountsRepository(dynamodb_table(accounts_table), prefetched),
        Idempotency("applications.create", idempotency_table, CREATE_IDEMPOTENCY_SECONDS, client("dynamodb")),
    )

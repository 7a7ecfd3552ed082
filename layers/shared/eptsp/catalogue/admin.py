"""Catalogue administration: admins add and change permit types, services and application
types (requirements, detail fields, SLA, perbaikan deadline), and the seed loader.

Every change is checked by ``parse_catalogue``, the loader's own check of
``seed/catalogue.yaml``, on the permit as it will be stored; saved with the permit's
views in one transaction guarded by the version the admin read (409 on a stale one) and
with its audit item. Applications already started keep their snapshot of the catalogue
entry (the draft copies it), so a change only reaches applications started after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from eptsp.catalogue.audit import LOADER, AuditEntry, AuditRepository, Target, new_entry, now_text
from eptsp.catalogue.models import (
    CatalogueDocument,
    CatalogueInvalid,
    Izin,
    JenisPermohonan,
    Layanan,
    parse_catalogue,
)
from eptsp.catalogue.repository import CatalogueRepository, IzinSource, Key, StaleVersion, Views, stored_keys
from eptsp.catalogue.service import build_views
from eptsp.errors import NotFound, ValidationFailed

AdminChanges = Literal["refuse", "keep", "replace"]


def _dump(model: Izin | Layanan | JenisPermohonan) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def checked(izin_data: dict[str, Any]) -> tuple[Izin, Views]:
    """A permit as the loader would accept it, and its views; a broken one is a 422 naming the fault."""
    raw = {"version": 1, "izin": [izin_data]}
    try:
        document = parse_catalogue(raw)
    except CatalogueInvalid as error:
        raise ValidationFailed(
            "Katalog tidak valid: " + "; ".join(str(error).splitlines()), field=_field(raw)
        ) from None
    return document.izin[0], next(build_views(document))


def _field(raw: dict[str, Any]) -> str:
    """Where the first fault is, as a path in the permit (``layanan.0.jenisPermohonan.1.slaWorkingDays``)."""
    try:
        CatalogueDocument.model_validate(raw, strict=True)
    except ValidationError as error:
        return ".".join(str(part) for part in error.errors()[0]["loc"][2:]) or "izin"
    return "izin"


def _views_of(izin: Izin) -> Views:
    return next(build_views(CatalogueDocument(version=1, izin=[izin])))


def _izin_not_found(izin_id: str) -> NotFound:
    return NotFound(f"Jenis izin '{izin_id}' tidak ditemukan.", code="IZIN_TIDAK_DITEMUKAN")


class CatalogueAdminService:
    def __init__(self, repository: CatalogueRepository, audit: AuditRepository):
        self._repository = repository
        self._audit = audit

    def get(self, izin_id: str) -> IzinSource:
        source = self._repository.get_source(izin_id)
        if source is None:
            raise _izin_not_found(izin_id)
        return source

    def audit_page(self, limit: int, cursor: str | None) -> tuple[list[AuditEntry], str | None]:
        return self._audit.page(limit, cursor)

    def _current(self, izin_id: str, version: int) -> IzinSource:
        source = self.get(izin_id)
        if source.version != version:
            raise StaleVersion()
        return source

    def _save(
        self,
        actor: tuple[str, str],
        izin_data: dict[str, Any],
        previous: IzinSource | None,
        target: Target,
        target_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any],
    ) -> IzinSource:
        izin, views = checked(izin_data)
        source = IzinSource(
            izin=izin,
            version=previous.version + 1 if previous else 1,
            order=previous.order if previous else self._repository.next_order(),
            origin="admin",
            updated_at=now_text(),
            updated_by=actor[0],
        )
        audit = new_entry(
            actor=actor,
            target=target,
            target_id=target_id,
            izin_id=izin.id,
            action="ubah" if before is not None else "tambah",
            before=before,
            after=after,
            version=source.version,
        )
        old = (previous, _views_of(previous.izin)) if previous else None
        self._repository.save(source, views, old, audit)
        return source

    def create(self, actor: tuple[str, str], izin: Izin) -> IzinSource:
        data = _dump(izin)
        return self._save(actor, data, None, "izin", izin.id, None, data)

    def replace(self, actor: tuple[str, str], izin_id: str, version: int, izin: Izin) -> IzinSource:
        if izin.id != izin_id:
            raise ValidationFailed("Id jenis izin tidak dapat diganti: samakan dengan id pada alamat.", field="izin.id")
        previous = self._current(izin_id, version)
        data = _dump(izin)
        return self._save(actor, data, previous, "izin", izin_id, _dump(previous.izin), data)

    def put_layanan(
        self, actor: tuple[str, str], izin_id: str, layanan_id: str, version: int, layanan: Layanan
    ) -> tuple[IzinSource, bool]:
        """Add the service, or replace the one with its id; returns the permit and whether the service is new."""
        if layanan.id != layanan_id:
            raise ValidationFailed("Id layanan tidak dapat diganti: samakan dengan id pada alamat.", field="layanan.id")
        previous = self._current(izin_id, version)
        data = _dump(previous.izin)
        old = next((item for item in data["layanan"] if item["id"] == layanan_id), None)
        new = _dump(layanan)
        data["layanan"] = [new if item["id"] == layanan_id else item for item in data["layanan"]]
        if old is None:
            data["layanan"].append(new)
        return self._save(actor, data, previous, "layanan", layanan_id, old, new), old is None

    def put_jenis_permohonan(
        self, actor: tuple[str, str], jenis_id: str, version: int, jenis: JenisPermohonan
    ) -> IzinSource:
        if jenis.id != jenis_id:
            raise ValidationFailed(
                "Id jenis permohonan tidak dapat diganti: samakan dengan id pada alamat.", field="jenisPermohonan.id"
            )
        izin_id = self._repository.claimant(jenis_id)
        previous = self._current(izin_id, version) if izin_id else None
        data = _dump(previous.izin) if previous else None
        old = None
        for layanan in data["layanan"] if data else []:
            for index, item in enumerate(layanan["jenisPermohonan"]):
                if item["id"] == jenis_id:
                    old = item
                    layanan["jenisPermohonan"][index] = new = _dump(jenis)
        if data is None or old is None:
            raise NotFound(f"Jenis permohonan '{jenis_id}' tidak ditemukan.", code="PERMOHONAN_TIDAK_DITEMUKAN")
        return self._save(actor, data, previous, "jenis_permohonan", jenis_id, old, new)


# ---------------------------------------------------------------------- the seed loader


class AdminChangesFound(Exception):
    """The table holds permits an admin added or changed; the loader was told to refuse."""

    def __init__(self, sources: list[IzinSource]):
        self.sources = sources
        lines = [f"- {s.izin.id} (versi {s.version}, {s.updated_at}, oleh {s.updated_by})" for s in sources]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class LoadResult:
    loaded: int  # permits written from the file (unchanged ones included)
    kept: list[str]  # permits an admin changed, left as they are
    replaced: list[str]  # permits an admin changed, overwritten by the file
    removed: list[str]  # permits gone from the file, deleted


def load_seed(
    repository: CatalogueRepository, document: CatalogueDocument, admin_changes: AdminChanges = "refuse"
) -> LoadResult:
    """Load ``seed/catalogue.yaml``'s permits into the table, the way a new office starts.

    Permits the seed wrote before are replaced by the file (and deleted when gone from it).
    Permits an admin added or changed (``origin`` admin) are never overwritten silently:
    ``refuse`` (the default) writes nothing and raises ``AdminChangesFound`` listing them;
    ``keep`` leaves them as they are and loads the rest; ``replace`` lets the file win.
    Office days off and the audit trail are never touched. Every permit whose content
    changes is audited (actor ``seed/catalogue.yaml``); an unchanged permit keeps its
    version, a changed one gets the next, so an admin holding an older one gets 409.
    """
    existing, sources = repository.scan_catalogue()
    changed_by_admin = [s for s in sources.values() if s.origin == "admin"]
    if changed_by_admin and admin_changes == "refuse":
        raise AdminChangesFound(changed_by_admin)
    kept = {s.izin.id: s for s in changed_by_admin} if admin_changes == "keep" else {}
    # The file's permits beside the kept ones must still make one valid catalogue (unique ids);
    # CatalogueInvalid names the clash otherwise.
    file_izin = [izin for izin in document.izin if izin.id not in kept]
    parse_catalogue({"version": 1, "izin": [_dump(izin) for izin in [*file_izin, *(s.izin for s in kept.values())]]})

    at = now_text()
    permits: list[tuple[IzinSource, Views]] = []
    audits: list[AuditEntry] = []
    views_by_id = {detail.id: (detail, persyaratan) for detail, persyaratan in build_views(document)}
    for order, izin in enumerate(file_izin):
        previous = sources.get(izin.id)
        same = previous is not None and _dump(previous.izin) == _dump(izin) and previous.origin == "seed"
        version = previous.version if same else (previous.version + 1 if previous else 1)
        source = IzinSource(
            izin=izin,
            version=version,
            order=order,
            origin="seed",
            updated_at=previous.updated_at if same else at,
            updated_by=previous.updated_by if same else LOADER[0],
        )
        permits.append((source, views_by_id[izin.id]))
        if not same:
            audits.append(
                new_entry(
                    actor=LOADER,
                    target="izin",
                    target_id=izin.id,
                    izin_id=izin.id,
                    action="muat_seed",
                    before=_dump(previous.izin) if previous else None,
                    after=_dump(izin),
                    version=version,
                )
            )
    kept_keys: set[Key] = set()
    for source in kept.values():
        kept_keys |= stored_keys(source, _views_of(source.izin))
    in_file = {izin.id for izin in document.izin}
    removed = [izin_id for izin_id in sources if izin_id not in in_file and izin_id not in kept]
    for izin_id in removed:
        audits.append(
            new_entry(
                actor=LOADER,
                target="izin",
                target_id=izin_id,
                izin_id=izin_id,
                action="hapus",
                before=_dump(sources[izin_id].izin),
                after=None,
            )
        )
    repository.write_loaded(permits, kept_keys, existing, audits)
    replaced = [s.izin.id for s in changed_by_admin if admin_changes == "replace" and s.izin.id in in_file]
    return LoadResult(loaded=len(permits), kept=sorted(kept), replaced=sorted(replaced), removed=sorted(removed))

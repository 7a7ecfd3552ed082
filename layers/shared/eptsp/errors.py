"""Domain errors and their one JSON shape.

Every error the API returns is ``{"code": ..., "message": ...}`` (plus ``field`` when one
input field is at fault), with the message in Indonesian so the front end can show it as is.
Services raise these exceptions; ``eptsp.http`` turns them into responses.
"""

from __future__ import annotations

from http import HTTPStatus


class DomainError(Exception):
    """Base of every error a caller can cause; never a 5xx."""

    status: HTTPStatus = HTTPStatus.BAD_REQUEST
    code: str = "PERMINTAAN_TIDAK_VALID"
    default_message: str = "Permintaan tidak valid."

    def __init__(self, message: str | None = None, *, field: str | None = None, code: str | None = None):
        self.message = message or self.default_message
        self.field = field
        if code:
            self.code = code
        super().__init__(self.message)

    def to_body(self) -> dict[str, str]:
        body = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        return body


class UnsupportedMediaType(DomainError):
    status = HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    code = "JENIS_ISI_TIDAK_DIDUKUNG"
    default_message = "Isi permintaan harus berupa JSON (Content-Type: application/json)."


class ValidationFailed(DomainError):
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    code = "VALIDASI_GAGAL"
    default_message = "Data yang dikirim tidak valid."


class Unauthenticated(DomainError):
    status = HTTPStatus.UNAUTHORIZED
    code = "BELUM_MASUK"
    default_message = "Sesi Anda tidak berlaku. Silakan masuk kembali."


class Forbidden(DomainError):
    status = HTTPStatus.FORBIDDEN
    code = "TIDAK_BERWENANG"
    default_message = "Anda tidak berwenang melakukan tindakan ini."


class NotFound(DomainError):
    status = HTTPStatus.NOT_FOUND
    code = "TIDAK_DITEMUKAN"
    default_message = "Data yang dicari tidak ditemukan."


class ApplicationNotFound(NotFound):
    default_message = "Permohonan tidak ditemukan."


class Conflict(DomainError):
    status = HTTPStatus.CONFLICT
    code = "KONFLIK"
    default_message = "Data telah berubah. Muat ulang lalu coba lagi."


class TooManyRequests(DomainError):
    status = HTTPStatus.TOO_MANY_REQUESTS
    code = "TERLALU_BANYAK_PERCOBAAN"
    default_message = "Terlalu banyak percobaan. Silakan coba lagi nanti."


INTERNAL_ERROR_BODY = {
    "code": "KESALAHAN_SERVER",
    "message": "Terjadi kesalahan pada server. Silakan coba lagi beberapa saat lagi.",
}

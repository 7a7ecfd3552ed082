"""What an uploaded file must be: its first bytes match the type it was declared as."""

from __future__ import annotations

from eptsp.files.models import MAX_FILE_BYTES

MAGIC: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
HEAD_BYTES = 8
TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


def refusal(declared_type: str, size: int, head: bytes) -> str | None:
    """Why the upload is refused (Indonesian), or None when it is fine."""
    if size <= 0:
        return "Berkas kosong. Unggah ulang berkas yang benar."
    if size > MAX_FILE_BYTES:
        return f"Ukuran berkas {size / 1048576:.1f} MB melebihi batas 10 MB. Perkecil berkas lalu unggah ulang."
    if not head.startswith(MAGIC.get(declared_type, (b"\x00invalid",))):
        name = TYPE_NAMES.get(declared_type, declared_type)
        return f"Isi berkas bukan {name} seperti jenis yang dinyatakan. Unggah berkas {name} yang asli."
    return None

"""The survey's questionnaire (the regulation's nine elements and answer labels), its
entities and its API's requests and answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator

from eptsp.models import ApiModel
from eptsp.surveys.ikm import ELEMENT_IDS


@dataclass(frozen=True)
class Element:
    id: str
    name: str  # the element (unsur) as the regulation names it
    question: str  # the regulation's sample question
    choices: tuple[str, str, str, str]  # the answer labels of scores 1, 2, 3, 4


# PermenPANRB No. 14 Tahun 2017: the nine elements in its order, each with its sample
# question and the four answers (a-d = 1-4) of its questionnaire.
ELEMENTS: tuple[Element, ...] = (
    Element(
        "u1",
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Element(
        "u2",
        "Sistem, mekanisme, dan prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    Element(
        "u3",
        "Waktu penyelesaian",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    Element(
        "u4",
        "Biaya/tarif",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    Element(
        "u5",
        "Produk spesifikasi jenis pelayanan",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam "
        "standar pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Element(
        "u6",
        "Kompetensi pelaksana",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    Element(
        "u7",
        "Perilaku pelaksana",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"),
    ),
    Element(
        "u8",
        "Penanganan pengaduan, saran dan masukan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"),
    ),
    Element(
        "u9",
        "Sarana dan prasarana",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
    ),
)
if tuple(e.id for e in ELEMENTS) != ELEMENT_IDS:
    raise ImportError("the questionnaire must list u1..u9 in order")

Outcome = Literal["terbit", "ditolak"]
ENDED: tuple[str, ...] = ("terbit", "ditolak")
Score = Annotated[int, Field(ge=1, le=4, strict=True)]


# ---------------------------------------------------------------- entities
@dataclass(frozen=True)
class EndedApplication:
    """An application whose survey may be filled: the owner's, ended ``terbit`` or ``ditolak``."""

    application_id: str
    owner_id: str
    status: str
    izin_id: str
    izin_name: str
    receipt_number: str | None
    ended_at: str | None


@dataclass(frozen=True)
class Survey:
    application_id: str
    owner_id: str
    izin_id: str
    izin_name: str
    outcome: str
    answers: dict[str, int]
    saran: str | None
    submitted_at: str
    month: str  # WITA, YYYY-MM: the month whose counters it adds to


@dataclass(frozen=True)
class MonthTally:
    """One month's counter item: of the office (``izin_id`` None) or of one permit type."""

    month: str
    izin_id: str | None
    izin_name: str | None
    respondents: int
    sums: dict[str, int]


# ---------------------------------------------------------------- API
class AnswersInput(ApiModel):
    u1: Annotated[Score, Field(description="Persyaratan: 1 tidak sesuai ... 4 sangat sesuai", examples=[4])]
    u2: Annotated[Score, Field(description="Sistem, mekanisme, dan prosedur: 1-4", examples=[3])]
    u3: Annotated[Score, Field(description="Waktu penyelesaian: 1-4", examples=[3])]
    u4: Annotated[Score, Field(description="Biaya/tarif: 1 sangat mahal ... 4 gratis", examples=[4])]
    u5: Annotated[Score, Field(description="Produk spesifikasi jenis pelayanan: 1-4", examples=[3])]
    u6: Annotated[Score, Field(description="Kompetensi pelaksana: 1-4", examples=[4])]
    u7: Annotated[Score, Field(description="Perilaku pelaksana: 1-4", examples=[4])]
    u8: Annotated[Score, Field(description="Penanganan pengaduan, saran dan masukan: 1-4", examples=[3])]
    u9: Annotated[Score, Field(description="Sarana dan prasarana: 1 buruk ... 4 sangat baik", examples=[3])]

    model_config = ConfigDict(extra="forbid")  # merged with ApiModel's


class SurveyInput(ApiModel):
    application_id: Annotated[
        str,
        Field(
            pattern=r"^[A-Za-z0-9_-]{8,64}$",
            description="Id permohonan yang sudah selesai (izin terbit atau ditolak)",
            examples=["01JD7W5Q2X9K3M4N5P6R7S8T9V"],
        ),
    ]
    answers: Annotated[AnswersInput, Field(description="Nilai 1-4 untuk tiap unsur u1..u9 (PermenPANRB 14/2017)")]
    saran: Annotated[
        str | None,
        Field(max_length=1000, description="Saran atau masukan (boleh kosong)", examples=["Antrean sudah cepat."]),
    ] = None

    model_config = ConfigDict(extra="forbid")  # merged with ApiModel's

    @field_validator("saran")
    @classmethod
    def _trimmed(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        return value or None


class ChoiceOutput(ApiModel):
    value: Annotated[int, Field(description="Nilai jawaban (1-4)", examples=[4])]
    label: Annotated[str, Field(description="Label jawaban menurut peraturan", examples=["Sangat sesuai"])]


class ElementOutput(ApiModel):
    id: Annotated[str, Field(description="Kode unsur (u1..u9)", examples=["u1"])]
    name: Annotated[str, Field(description="Nama unsur menurut PermenPANRB 14/2017", examples=["Persyaratan"])]
    question: Annotated[str, Field(description="Pertanyaan kuesioner", examples=[ELEMENTS[0].question])]
    choices: Annotated[list[ChoiceOutput], Field(description="Empat pilihan jawaban, nilai 1 sampai 4")]


class PendingSurveyOutput(ApiModel):
    application_id: Annotated[str, Field(description="Id permohonan", examples=["01JD7W5Q2X9K3M4N5P6R7S8T9V"])]
    receipt_number: Annotated[str | None, Field(description="Nomor resi", examples=["DPMPTSP-20261129-0001"])]
    izin_name: Annotated[str, Field(description="Jenis izin", examples=["Izin Usaha Perikanan"])]
    status: Annotated[Outcome, Field(description="Akhir permohonan: terbit atau ditolak", examples=["terbit"])]
    link: Annotated[str, Field(description="Alamat formulir survei di situs", examples=["#/survei/01JD7W5Q2X"])]


class PendingSurveysOutput(ApiModel):
    items: Annotated[list[PendingSurveyOutput], Field(description="Permohonan selesai yang belum disurvei")]
    next_cursor: Annotated[str | None, Field(description="Kursor halaman berikutnya (kosong di akhir)")] = None
    elements: Annotated[list[ElementOutput], Field(description="Sembilan unsur survei dan pilihan jawabannya")]


class SurveyOutput(ApiModel):
    application_id: Annotated[str, Field(description="Id permohonan", examples=["01JD7W5Q2X9K3M4N5P6R7S8T9V"])]
    submitted_at: Annotated[str, Field(description="Waktu survei diisi (UTC)", examples=["2026-11-29T02:00:00Z"])]
    month: Annotated[str, Field(description="Bulan (WITA) survei dihitung", examples=["2026-11"])]
    message: Annotated[str, Field(description="Ucapan terima kasih", examples=["Terima kasih atas penilaian Anda."])]


NrrOutput = Annotated[
    dict[str, float],
    Field(description="Nilai rata-rata (NRR, 1-4) tiap unsur u1..u9", examples=[{"u1": 3.25, "u2": 3.0}]),
]


class IkmOutput(ApiModel):
    respondents: Annotated[int, Field(description="Jumlah responden", examples=[12])]
    nrr: NrrOutput
    ikm: Annotated[float | None, Field(description="IKM skala 25-100 (kosong tanpa responden)", examples=[82.64])]
    grade: Annotated[str | None, Field(description="Mutu pelayanan A-D", examples=["B"])]
    grade_label: Annotated[str | None, Field(description="Kinerja unit pelayanan", examples=["Baik"])]


class IzinIkmOutput(IkmOutput):
    izin_id: Annotated[str, Field(description="Id jenis izin", examples=["izin-usaha-perikanan"])]
    izin_name: Annotated[str, Field(description="Nama jenis izin", examples=["Izin Usaha Perikanan"])]


class IkmReportOutput(ApiModel):
    from_month: Annotated[str, Field(description="Bulan awal (WITA, YYYY-MM)", examples=["2026-01"])]
    to_month: Annotated[str, Field(description="Bulan akhir (WITA, YYYY-MM)", examples=["2026-11"])]
    office: Annotated[IkmOutput, Field(description="IKM seluruh kantor pada rentang bulan ini")]
    per_izin: Annotated[list[IzinIkmOutput], Field(description="IKM tiap jenis izin yang punya responden")]
    elements: Annotated[list[ElementOutput], Field(description="Sembilan unsur survei (u1..u9)")]

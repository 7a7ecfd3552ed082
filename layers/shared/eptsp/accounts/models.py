"""Account requests and answers of the API."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from eptsp.accounts.fields import (
    Address,
    Email,
    Name,
    Nik,
    Nip,
    OfficerPassword,
    OfficerRole,
    OptionalNib,
    OptionalNpwp,
    Password,
    Phone,
    Residence,
)
from eptsp.models import ApiModel


class ProfileFields(ApiModel):
    """What the applicant can see and edit (Edit Profile); the NIK is fixed."""

    name: Name
    email: Email
    phone: Phone
    npwp: OptionalNpwp = None
    nib: OptionalNib = None
    address: Address
    kabupaten_kota: Residence


class ProfileUpdateRequest(ProfileFields):
    """Edit Profile; a new e-mail or phone number also needs the current password."""

    current_password: Annotated[str | None, Field(default=None, max_length=128)] = None


class SecurityCode(ApiModel):
    """The Kode Keamanan of the form (GET /api/auth/captcha), single use."""

    captcha_id: Annotated[str, Field(min_length=1, max_length=64)]
    captcha_answer: Annotated[str, Field(min_length=1, max_length=16)]


class NewApplicant(ProfileFields):
    nik: Nik
    password: Password
    password_confirmation: str

    @field_validator("password_confirmation")
    @classmethod
    def _passwords_match(cls, value: str, info: ValidationInfo) -> str:
        if "password" in info.data and value != info.data["password"]:
            raise ValueError("Konfirmasi password tidak sama dengan password.")
        return value


class RegisterRequest(NewApplicant, SecurityCode):
    pass


class RegisterOutput(ApiModel):
    username: str
    message: str


class ActivateRequest(ApiModel):
    username: Annotated[str, Field(min_length=3, max_length=254, description="NIK atau email")]
    code: Annotated[str, Field(pattern=r"^\d{6}$", description="Kode aktivasi 6 digit dari email/SMS")]


class ResendActivationRequest(ApiModel):
    username: Annotated[str, Field(min_length=3, max_length=254, description="NIK atau email")]


class ContactConfirmRequest(ApiModel):
    code: Annotated[str, Field(pattern=r"^\d{6}$", description="Kode 6 digit yang dikirim ke kontak baru")]


class PendingContact(ApiModel):
    """A new e-mail or phone number that waits for its confirmation code."""

    email: str | None = None
    phone: str | None = None


class ProfileOutput(ApiModel):
    username: str
    nik: str | None = None
    name: str
    email: str
    phone: str
    npwp: str | None = None
    nib: str | None = None
    address: str | None = None
    kabupaten_kota: str | None = None
    roles: list[str]
    pending: PendingContact | None = None


class CaptchaOutput(ApiModel):
    captcha_id: str
    image: str  # data URI of a PNG
    expires_in: int


class LoginRequest(SecurityCode):
    username: Annotated[str, Field(min_length=3, max_length=254, description="NIK, NIP atau email")]
    password: Annotated[str, Field(min_length=1, max_length=128)]


class RefreshRequest(ApiModel):
    refresh_token: Annotated[str | None, Field(default=None, max_length=4096)] = None


class TokensOutput(ApiModel):
    """A session's tokens; the refresh token goes only in the HttpOnly cookie."""

    access_token: str
    id_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 (a scheme name, not a secret)
    user: ProfileOutput


class ForgotPasswordRequest(ApiModel):
    identifier: Annotated[str, Field(min_length=13, max_length=30, description="NIK, NPWP atau NIB")]
    phone: Phone
    email: Email


class ResetPasswordRequest(ApiModel):
    identifier: Annotated[str, Field(min_length=13, max_length=30)]
    pin: Annotated[str, Field(pattern=r"^\d{6}$")]
    new_password: Password


class ChangePasswordRequest(ApiModel):
    old_password: Annotated[str, Field(min_length=1, max_length=128)]
    new_password: Password


class MessageOutput(ApiModel):
    message: str


class OfficerCreateRequest(ApiModel):
    nip: Nip
    name: Name
    email: Email
    phone: Phone
    role: OfficerRole
    password: OfficerPassword


class OfficerOutput(ApiModel):
    username: str
    name: str
    email: str
    phone: str
    roles: list[str]


# --- officers' sign-in: a password, then a code from an authenticator app (TOTP)

OfficerChallengeName = Literal["MFA_SETUP", "SOFTWARE_TOKEN_MFA"]
SIGN_IN_SESSION = Field(
    min_length=20,
    max_length=4096,
    description="Sesi masuk dari langkah sebelumnya (berlaku 3 menit); kirim kembali apa adanya.",
    examples=["AYABeC0Zb7..."],
)


class OfficerLoginRequest(ApiModel):
    username: Annotated[
        str, Field(min_length=3, max_length=254, description="NIP atau email petugas", examples=["196805121994031002"])
    ]
    password: Annotated[
        str, Field(min_length=1, max_length=128, description="Password petugas.", examples=["PetugasKaltara2026"])
    ]


class OfficerChallengeOutput(ApiModel):
    """The step after a right password: set up the authenticator app once, then type its code."""

    challenge: Annotated[
        OfficerChallengeName,
        Field(
            description="MFA_SETUP: daftarkan secretCode di aplikasi autentikator lalu kirim kodenya; "
            "SOFTWARE_TOKEN_MFA: kirim kode 6 digit dari aplikasi autentikator.",
            examples=["SOFTWARE_TOKEN_MFA"],
        ),
    ]
    session: Annotated[str, SIGN_IN_SESSION]
    secret_code: Annotated[
        str | None,
        Field(
            description="Hanya pada MFA_SETUP: kunci rahasia untuk aplikasi autentikator (Google Authenticator, "
            "Microsoft Authenticator, ...). Simpan hanya di aplikasi itu.",
            examples=["JBSWY3DPEHPK3PXP"],
        ),
    ] = None
    otpauth_uri: Annotated[
        str | None,
        Field(
            description="Hanya pada MFA_SETUP: alamat otpauth:// yang sama, untuk dijadikan kode QR.",
            examples=["otpauth://totp/e-PTSP:196805121994031002?secret=JBSWY3DPEHPK3PXP&issuer=e-PTSP"],
        ),
    ] = None


class OfficerMfaRequest(ApiModel):
    username: Annotated[
        str,
        Field(
            min_length=3,
            max_length=254,
            description="NIP atau email petugas, sama dengan saat masuk",
            examples=["196805121994031002"],
        ),
    ]
    challenge: Annotated[
        OfficerChallengeName, Field(description="Nama langkah dari jawaban masuk.", examples=["SOFTWARE_TOKEN_MFA"])
    ]
    session: Annotated[str, SIGN_IN_SESSION]
    code: Annotated[
        str, Field(pattern=r"^\d{6}$", description="Kode 6 digit dari aplikasi autentikator.", examples=["492039"])
    ]


class OfficerTokensOutput(ApiModel):
    """An officer's session: an access token only (no refresh), for one hour at most."""

    access_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 (a scheme name, not a secret)
    user: ProfileOutput


class OfficerChangePasswordRequest(ApiModel):
    old_password: Annotated[str, Field(min_length=1, max_length=128)]
    new_password: OfficerPassword

"""Kotak Masuk (Inbox): messages about an applicant's applications, and their delivery."""

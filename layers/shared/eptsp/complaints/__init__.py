"""Pengaduan: an applicant's complaints, the office's replies, and closing them."""

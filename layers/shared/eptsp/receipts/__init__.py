"""Cetak Resi: the receipt (tanda terima) of a submitted application, as a printable PDF."""

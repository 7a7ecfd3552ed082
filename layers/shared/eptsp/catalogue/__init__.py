"""The permit catalogue: jenis izin -> layanan -> jenis permohonan -> persyaratan."""

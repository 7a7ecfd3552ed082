"""Applications (permohonan): drafts of step 4 "Isi Kelengkapan" and Permohonan Saya."""

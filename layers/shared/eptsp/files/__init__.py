"""Documents: presigned uploads, verification after upload, File Saya."""

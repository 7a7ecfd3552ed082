"""Submission and the approval workflow: receipts, officer tasks, decisions, perbaikan, monitoring."""

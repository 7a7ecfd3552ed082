"""Operator tools that work on a deployed stack and on the local stack alike."""

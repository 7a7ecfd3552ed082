"""Accounts: registration, sign-in with a security code, PIN password reset, profiles, officers."""

"""e-PTSP domain package: models, services and repositories shared by every function.

Subpackages group one part of the domain each (``catalogue``, ...); the top-level modules
hold what every handler needs: errors, settings, the HTTP resolver, the caller's identity
and the AWS clients.
"""

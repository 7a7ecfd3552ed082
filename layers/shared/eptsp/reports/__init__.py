"""Officer reports and the public Kinerja figures: counters kept as the workflow's events
happen (``counters``, fed by the notifier's ``laporan`` channel), stored per WITA day
(``repository``), added up for a period (``figures``, ``service``) and exported as CSV
(``export``)."""

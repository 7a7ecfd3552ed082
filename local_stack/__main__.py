"""python -m local_stack [--host 127.0.0.1] [--port 3000]: the whole system, locally."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from local_stack.stack import LocalStack, quiet_server_logs
from local_stack.support import TemplateNotServed


def main() -> None:
    parser = argparse.ArgumentParser(description="Jalankan e-PTSP secara lokal (tanpa AWS, tanpa Docker).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000, help="0 memilih port yang bebas")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    args = parser.parse_args()

    quiet_server_logs()
    stack = LocalStack(host=args.host, port=args.port, log_level=args.log_level)
    try:
        stack.start()
    except OSError as error:
        sys.exit(f"Tidak dapat memulai: {error}. Apakah port {args.port} sudah dipakai? Coba --port 0.")
    except TemplateNotServed as error:
        sys.exit(f"Tidak dapat memulai: template.yaml memuat yang tidak dapat dijalankan secara lokal:\n{error}")

    print(
        f"""
e-PTSP Kalimantan Utara berjalan secara lokal.
  Aplikasi      {stack.url}/
  API           {stack.url}/api
  Konsol API    {stack.url}/api/docs
  Kotak keluar  {stack.url}/_local/outbox
  Yang berjalan {stack.url}/_local/  (fungsi, antrean, jadwal, state machine)
  moto (AWS)    {stack.moto_url}
Katalog: {stack.catalogue_count} jenis izin dimuat.
Tekan Ctrl-C untuk berhenti.""",
        flush=True,
    )
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        # Woken now and then: a signal taken by another thread runs its handler only when the
        # main thread next runs Python code, so an endless wait could miss Ctrl-C and SIGTERM.
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
        print("e-PTSP lokal berhenti.", flush=True)


if __name__ == "__main__":
    main()

"""A local SMTP server (aiosmtpd) that keeps nothing: it counts the mails it accepts and their
distinct Message-IDs, and once it has EXPECT of them prints how long they took from the first to
the last and exits. Used by scripts/bench.sh to measure the outbox. Prints "ready" once listening.

Usage: python smtp-sink.py --port PORT --expect EXPECT [--timeout SECONDS]
Exits 1 if EXPECT mails did not arrive within the timeout, or if a Message-ID came twice.
"""

import argparse
import re
import sys
import time

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.I | re.M)


class Counter:
    def __init__(self):
        self.accepted = 0
        self.ids = set()
        self.first = None
        self.last = None

    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        self.first = self.first or now
        self.last = now
        self.accepted += 1
        found = MESSAGE_ID.search(envelope.content)
        if found:
            self.ids.add(found.group(1))
        return "250 2.0.0 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--expect", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    counter = Counter()
    # The controller serves on a thread of its own; this one only watches the count.
    controller = Controller(counter, hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    deadline = time.monotonic() + args.timeout
    while counter.accepted < args.expect and time.monotonic() < deadline:
        time.sleep(0.05)
    controller.stop()
    spent = counter.last - counter.first if counter.first is not None else 0.0
    rate = f"{(counter.accepted - 1) / spent:.0f}" if spent > 0 else "n/a"
    print(f"{counter.accepted} mails accepted ({len(counter.ids)} distinct Message-IDs) in "
          f"{spent:.2f} s from the first to the last: {rate} mails/s", flush=True)
    return 0 if counter.accepted >= args.expect and len(counter.ids) == counter.accepted else 1


if __name__ == "__main__":
    sys.exit(main())

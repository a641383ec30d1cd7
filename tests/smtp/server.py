"""A real SMTP server for the tests (aiosmtpd), bound to 127.0.0.1.

Every accepted message is appended to --out as one JSON line (recipients, raw text). With
--code 451 --fail-first N the first N messages are answered 451 (try again later); with
--code 550 and --fail-first 0 every message is refused for good; --delay S waits S seconds
before answering each message. Prints "ready" once listening.
"""

import argparse
import asyncio
import email
import email.policy
import json
import sys

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, out, code, fail_first, delay):
        self.out = out
        self.delay = delay
        self.code = code
        self.fail_first = fail_first
        self.seen = 0

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.code and (self.fail_first == 0 or self.seen <= self.fail_first):
            if self.code.startswith("4"):
                return f"{self.code} 4.3.0 Try again later"
            return f"{self.code} 5.1.1 Mailbox unavailable"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps({
                "to": envelope.rcpt_tos,
                "subject": str(message["subject"] or ""),
                "message_id": str(message["message-id"] or ""),
                "list_unsubscribe": str(message["list-unsubscribe"] or ""),
                "list_unsubscribe_post": str(message["list-unsubscribe-post"] or ""),
                "text": text.get_content() if text else "",
                "html": html.get_content() if html else "",
                "raw": envelope.content.decode("utf-8", "replace"),
            }) + "\n")
        return "250 2.0.0 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--code", default="")
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    controller = Controller(
        Recorder(args.out, args.code, args.fail_first, args.delay),
        hostname="127.0.0.1",
        port=args.port,
    )
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())

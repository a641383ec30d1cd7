"""After the browser journeys: the server's log and a dump of its database must hold no client
IP address and no receipt code of the tips the journeys sent, and the log no text of the
observations and tips the journeys wrote. The journeys list the receipts they were shown in
$TMPDIR/veille-e2e-receipts-PORT.txt.

Usage: python3 tests/leaks.py SERVER_LOG SQLITE_FILE LISTEN_ADDRESS MARKER...
The listen address (the server's own, printed once at start) is the only address allowed.
"""
import os
import re
import sqlite3
import sys
import tempfile

log_path, db_path, listen = sys.argv[1], sys.argv[2], sys.argv[3]
markers = sys.argv[4:]

IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
# Compressed forms (with "::") or all eight groups: never a time of day such as 01:38:06.
IPV6 = re.compile(
    r"(?<![0-9A-Za-z:])(?:(?:[0-9A-Fa-f]{1,4}:){1,7}:[0-9A-Fa-f]{0,4}|::(?:1|ffff:)\b"
    r"|(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4})"
)

log = open(log_path, encoding="utf-8", errors="replace").read()


def dump_rows(path):
    """Every row of every ordinary table, as text. Not `iterdump`: it asks each virtual table for
    its columns, and an SQLite library older than the portal's own (Python's, 3.40 here) does not
    know the full-text tables' `contentless_delete` option. What those tables index is stored in
    their shadow tables, which are ordinary tables and are read here like any other."""
    connection = sqlite3.connect(path)
    tables = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL TABLE%'"
    ).fetchall()
    lines = []
    for (table,) in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        for row in connection.execute(f"SELECT * FROM {quoted}"):
            lines.append(f"{table}: " + " | ".join(
                value.hex() if isinstance(value, bytes) else str(value)
                for value in row))
    connection.close()
    return "\n".join(lines)


dump = dump_rows(db_path)

problems = []
for name, text in (("log", log.replace(listen, "<listen>")), ("database", dump)):
    for pattern in (IPV4, IPV6):
        for match in pattern.finditer(text):
            start = max(0, match.start() - 60)
            problems.append(f"{name}: address {match.group(0)!r} in …{text[start:match.end() + 20]!r}")
for marker in markers:
    if marker in log:
        problems.append(f"log: case text {marker!r}")

port = listen.rsplit(":", 1)[-1]
receipts_file = os.path.join(tempfile.gettempdir(), f"veille-e2e-receipts-{port}.txt")
receipts = [r.strip() for r in open(receipts_file).read().split()] if os.path.exists(receipts_file) else []
for receipt in receipts:
    for form in (receipt, receipt.replace("-", "")):
        for name, text in (("log", log), ("database", dump)):
            if form.upper() in text.upper():
                problems.append(f"{name}: receipt {form!r}")

if problems:
    print("\n".join(problems[:20]))
    sys.exit(1)
print(f"no client address in the log ({len(log)} bytes) or the database dump ({len(dump)} bytes); "
      f"no case text in the log ({len(markers)} markers); none of the {len(receipts)} receipts shown "
      "in either")

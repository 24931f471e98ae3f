"""The console accounts' command line (the work is in bot/store/agents.py).

    python -m bot.agents create NAME [--role supervisor] [--password-stdin]
    python -m bot.agents disable NAME | enable NAME
    python -m bot.agents role NAME supervisor|agent
    python -m bot.agents password NAME [--password-stdin]
    python -m bot.agents list
    python -m bot.agents audit [--limit 50] [--csv]   # the one audit table, newest first

A password is read from the terminal (or one line of stdin), never from the command
line. Changes made here are audited with the actor `cli`.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Optional

from bot.store import agents, audit


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass(f"Password ({agents.MIN_PASSWORD}+ characters): ")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create")
    create.add_argument("username")
    create.add_argument("--role", choices=agents.ROLES, default="agent")
    create.add_argument("--password-stdin", action="store_true")
    for name in ("disable", "enable"):
        commands.add_parser(name).add_argument("username")
    role = commands.add_parser("role")
    role.add_argument("username")
    role.add_argument("role", choices=agents.ROLES)
    password = commands.add_parser("password")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true")
    commands.add_parser("list")
    audit_cmd = commands.add_parser("audit")
    audit_cmd.add_argument("--limit", type=int, default=50)
    audit_cmd.add_argument("--csv", action="store_true", help="as CSV (for a spreadsheet)")
    return parser


def main(argv: Optional[list] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "create":
            agents.create(args.username, _password(args.password_stdin), args.role)
            print(f"created {args.username} ({args.role})")
        elif args.command in ("disable", "enable"):
            agents.change(args.username, args.command)
            print(f"{args.command}d {args.username}")
        elif args.command == "role":
            agents.change(args.username, "role", args.role)
            print(f"{args.username} is now {args.role}")
        elif args.command == "password":
            agents.change(args.username, "password", _password(args.password_stdin))
            print(f"changed the password of {args.username}")
        elif args.command == "list":
            for account in agents.all_agents():
                state = "disabled" if account.disabled else ""
                print(f"{account.username}\t{account.role}\t{account.created_at:%Y-%m-%d}\t{state}")
        else:
            entries = audit.recent(args.limit)
            if args.csv:
                sys.stdout.write(audit.as_csv(entries))
            for e in [] if args.csv else entries:
                details = json.dumps(e.details, sort_keys=True)
                print(
                    f"{e.at:%Y-%m-%d %H:%M:%S}\t{e.actor}\t{e.action}\t{e.result}\t"
                    f"{e.client_address or ''}\t{details}"
                )
    except agents.AgentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The console API's worksheet look-up: audited and committed before any decryption."""

from __future__ import annotations

from types import SimpleNamespace

from bot.channels import console_api
from bot.store import agents, audit, worksheets


async def test_the_lookup_is_audited_before_the_answers_are_decrypted(
    database_url, encryption_key, monkeypatch
):
    agents.create("chen", "correct horse battery staple", "supervisor")
    _, who = agents.sign_in("chen", "correct horse battery staple", "10.0.0.1")
    code = worksheets.save("web:x", "web", "en", {"ws_doctors": "Dr. Okafor"})
    seen_at_decryption = []
    real_load = worksheets.load

    def load(wanted):
        # a fresh session, as another process would see it: only committed rows
        seen_at_decryption.append([e.action for e in audit.recent(1)])
        return real_load(wanted)

    monkeypatch.setattr(worksheets, "load", load)
    handlers = {path: h for _, path, _, h in console_api.routes(None, lambda r: "10.0.0.1")}
    reply = await handlers["/api/lookup"](SimpleNamespace(json={"code": code}), who)
    assert reply.status == 200 and b"Dr. Okafor" in reply.body
    assert seen_at_decryption == [["worksheet-lookup"]]


async def test_a_refused_lookup_decrypts_nothing(database_url, encryption_key, monkeypatch):
    agents.create("chen", "correct horse battery staple", "supervisor")
    _, who = agents.sign_in("chen", "correct horse battery staple", "10.0.0.1")
    monkeypatch.setattr(worksheets, "load", lambda code: 1 / 0)
    handlers = {path: h for _, path, _, h in console_api.routes(None, lambda r: "10.0.0.1")}
    for _ in range(agents.MAX_FAILED_LOOKUPS):
        reply = await handlers["/api/lookup"](SimpleNamespace(json={"code": "ECM-222222"}), who)
        assert reply.status == 404
    reply = await handlers["/api/lookup"](SimpleNamespace(json={"code": "ECM-222222"}), who)
    assert reply.status == 429

from tests.helpers import World, text_of, msgs, buttons, check_all_payloads, assert_no_pings, embed_of
BODY = ("Tidewater is a patient drama about two sisters running a seaside hotel out of season. The photography is"
             " lovely, all pale blues and grey light on wet sand. The lighthouse keeper is played by a slurring drunk"
             " who insults the whole village in filthy words. The score hums softly under every scene, a cello and a"
             " harmonium.")

async def test_scratch(world: World):
    r = await world.mod.slash(world.channel, "review add", film="Tidewater", year=2031, file=("t.txt", BODY.encode()))
    q = await world.alice.slash(world.channel, "quote", about="lighthouse")
    footer = embed_of(q.response).footer.text
    print(footer)
    h = await world.mod.slash(world.channel, "passage hide", passage=footer)
    print(text_of(h))
    print(world.q("SELECT * FROM passage_decisions"))
    ex = await world.mod.slash(world.channel, "review export")
    print("EXPORT", text_of(ex)[:300], [a.filename for m in msgs(ex) for a in getattr(m, 'attachments', [])])
    rr = await world.mod.slash(world.channel, "review add", film="Tidewater", year=2031, file=("t.txt", BODY.encode()))
    print("READD", text_of(rr)[:300])
    rm = await world.mod.slash(world.channel, "review remove", review="4")
    print("RM", text_of(rm)[:300])
    rr = await world.mod.slash(world.channel, "review add", film="Tidewater", year=2031, file=("t.txt", BODY.encode()))
    print("READD", text_of(rr)[:300])
    print(world.q("SELECT p.id, m.hidden, substr(p.text,1,30) FROM passages p LEFT JOIN passage_marks m ON m.passage_id=p.id WHERE p.text LIKE '%lighthouse%'"))
    for _ in range(5):
        q = await world.alice.slash(world.channel, "quote", about="lighthouse")
        print(q.ephemeral, text_of(q)[:100])

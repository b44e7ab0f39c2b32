import time
from tests.cross.test_big_club import seed
from bot.corpus import tag_passage
async def test_prof(world):
    await seed(world)
    bot = world.bot
    st = bot.store.stats
    g = world.guild.id
    for name, coro in [("ratings", lambda: st.year_ratings(g, "2026")), ("films", lambda: st.year_films(g, "2026")),
                       ("members", lambda: st.year_members(g, "2026"))]:
        t = time.process_time(); r = await coro(); print(name, len(r), time.process_time() - t)
    rows = await st.year_ratings(g, "2026")
    takes = [r[4] for r in rows if r[4]]
    t = time.process_time()
    for x in takes: tag_passage(x, bot.themes)
    print("tag", len(takes), time.process_time() - t)
    films = {r[0] for r in rows}
    t = time.process_time()
    for f in films: await bot.store.catalogue.theme_counts(str(f))
    print("theme_counts", len(films), time.process_time() - t)
    print("distinct takes", len(set(takes)))

"""Film metadata from TMDB (with a key) or Wikidata (without), cached: `bot.metadata.lookup(title, year)`.

rules (FilmMetadata, title matching, parsing helpers, links) · http (the JSON client: User-Agent, timeout,
rate limit, 429) · tmdb · wikidata (the two providers) · store (the cache) · service (MetadataService) ·
render (the film card).
"""

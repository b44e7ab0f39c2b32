"""Film night: the watchlist, picking the next film, screenings and the spoiler gate."""

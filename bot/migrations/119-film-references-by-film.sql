-- Which servers refer to a film, by index from the film's side. A server sees a film of the shared catalogue
-- only when it is reviewed or this server refers to it (FilmStore's `_KNOWN`: its watchlist, picks,
-- screenings, ratings, watches, polls, schedules, questions, suggestions, prompts, game rounds); every film a
-- member types or forges as `film:<id>` is checked so, and every autocomplete keystroke checks 25 films.
-- Without these, the checks on screenings, polls, picks, questions, suggestions and game rounds read every
-- row of the table (or of the server) for a film no server refers to.
CREATE INDEX screenings_film ON screenings(film_id, guild_id);
CREATE INDEX polls_film ON polls(film_id, guild_id);
CREATE INDEX filmnight_candidates_film ON filmnight_candidates(film_id);
CREATE INDEX question_suggestions_film ON question_suggestions(film_id, guild_id);
CREATE INDEX theme_questions_film ON theme_questions(film_key, guild_id);
CREATE INDEX schedules_film ON schedules(film, guild_id);
CREATE INDEX club_game_rounds_film ON club_game_rounds(film_id, guild_id);

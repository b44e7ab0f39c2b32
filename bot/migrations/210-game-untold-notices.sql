-- A game that ended while the bot was removed from its server (its next round found the channel gone) told the
-- moderators nothing: the notice had nowhere to go. untold: that notice, kept on the round that ended the game, told
-- once when the bot is invited back (ClubService.rejoined) and then cleared.
ALTER TABLE club_game_rounds ADD COLUMN untold TEXT;
CREATE INDEX club_game_rounds_untold ON club_game_rounds(guild_id) WHERE untold IS NOT NULL;

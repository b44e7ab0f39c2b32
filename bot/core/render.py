"""Discord-side rendering constants: the no-ping default and the bot's colour.

The text helpers (clip, inert, spoiler tags, limits) are in bot.core.text, which pure code can use.
"""

from __future__ import annotations

import discord

# The bot-wide default, and set explicitly on every send that carries user or corpus text.
NO_MENTIONS = discord.AllowedMentions.none()

FILM_CLUB_COLOUR = discord.Colour.from_rgb(232, 93, 117)

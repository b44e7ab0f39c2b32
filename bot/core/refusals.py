"""Refusals shown to the member as they are (privately): pure, so rules modules can raise them."""

from __future__ import annotations


class UserError(Exception):
    """A refusal to show the user as is (ephemeral). The message must already be user-safe."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotModerator(UserError):
    def __init__(self, action: str = "change this") -> None:
        super().__init__(
            f"Only moderators can {action}: you need **Manage Server** or this server's moderator role."
        )


class MissingBotPermission(UserError):
    def __init__(self, permission: str, where: str) -> None:
        super().__init__(f"I can't do that: I'm missing the **{permission}** permission in {where}.")

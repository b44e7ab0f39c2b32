"""Members flag passages, moderators decide: the Flag button, the /passage flagged queue, hide/show."""

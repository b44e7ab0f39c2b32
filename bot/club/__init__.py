"""The club's own voice: ratings and takes, critics vs club, the critic-or-club game, thread digests."""

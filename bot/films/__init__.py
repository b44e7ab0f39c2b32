"""The film catalogue: one `films` table every feature points at by id, and the one resolver."""

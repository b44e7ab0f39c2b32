"""Shared infrastructure every feature uses: settings, database, errors, checks, rendering, jobs, audit, server settings, lookups."""

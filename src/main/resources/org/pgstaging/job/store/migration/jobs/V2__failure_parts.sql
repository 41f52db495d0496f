-- A failure is kept as its parts (what went wrong, how to fix it, in which step), not one string.
ALTER TABLE jobs ADD COLUMN failure_hint VARCHAR(4000);
ALTER TABLE jobs ADD COLUMN failed_step VARCHAR(64);

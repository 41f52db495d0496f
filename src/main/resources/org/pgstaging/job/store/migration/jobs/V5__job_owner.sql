-- Several bots (replicas) share one state database: a running job names the replica that runs it
-- (owner) and when that replica last showed it was alive (heartbeat_at, the state database's own
-- clock, so replicas on machines whose clocks differ agree on it).
ALTER TABLE jobs ADD COLUMN owner VARCHAR(255);
ALTER TABLE jobs ADD COLUMN heartbeat_at TIMESTAMP(6) WITH TIME ZONE;

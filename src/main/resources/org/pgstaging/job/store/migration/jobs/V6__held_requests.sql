-- A chat request the bot acknowledged ("working…") and has not answered yet, stored before the
-- acknowledgement: Slack does not deliver an acknowledged request again, so when the replica handling
-- it dies, another one (or the same bot started again) finds it here and handles it. owner and
-- heartbeat_at as for jobs (the state database's clock); the row is deleted once the request is answered.
-- thread_ts: a reply in a job's thread (status, cancel, retry...) is held too; null for a slash command.
CREATE TABLE held_requests (
  request_key VARCHAR(255) PRIMARY KEY,
  command_text VARCHAR(4000) NOT NULL,
  user_id VARCHAR(255) NOT NULL,
  channel_id VARCHAR(255) NOT NULL,
  response_url VARCHAR(2048),
  thread_ts VARCHAR(64),
  received_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  owner VARCHAR(255) NOT NULL,
  heartbeat_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  takeovers INT DEFAULT 0 NOT NULL
);
CREATE INDEX held_requests_owner ON held_requests(owner);
-- The chat request a job was made for: a request handled again after its replica died finds its job
-- instead of queueing a second one. Null for jobs asked from a console or a button.
ALTER TABLE jobs ADD COLUMN request_key VARCHAR(255);
CREATE UNIQUE INDEX jobs_request_key ON jobs(request_key);

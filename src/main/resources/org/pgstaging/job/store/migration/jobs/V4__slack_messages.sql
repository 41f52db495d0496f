-- Which Slack messages belong to which job (was state_dir/slack-messages.json): in the state store,
-- so that any bot on the same state edits a job's messages and knows its thread.
-- job_id is text: the face's id of the job. seq orders the entries, newest last (the newest are kept).
CREATE TABLE slack_messages (
  job_id VARCHAR(64) PRIMARY KEY,
  channel VARCHAR(255) NOT NULL,
  ts VARCHAR(64) NOT NULL,
  card_channel VARCHAR(255),
  card_ts VARCHAR(64),
  completion_ts VARCHAR(64),
  seq BIGINT NOT NULL
);
CREATE INDEX slack_messages_thread ON slack_messages(channel, ts);
CREATE INDEX slack_messages_seq ON slack_messages(seq);
CREATE SEQUENCE slack_messages_seq_gen START WITH 1;

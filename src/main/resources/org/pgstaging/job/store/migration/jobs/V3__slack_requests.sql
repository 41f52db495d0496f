-- Slack requests already handled, so that a retried or twice-delivered request is handled once by
-- whichever bot (or, later, replica) gets it: the primary key makes the database the referee.
-- Rows older than a day are pruned: Slack retries within minutes.
CREATE TABLE slack_requests (
  request_key VARCHAR(255) PRIMARY KEY,
  first_seen TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
CREATE INDEX slack_requests_first_seen ON slack_requests(first_seen);

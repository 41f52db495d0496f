package org.pgstaging.slack;

import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.response.Response;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets each Slack request through once, HTTP and Socket Mode alike: Slack retries an event it
 * thinks unanswered (same event_id, {@code X-Slack-Retry-Num}) and may deliver any request twice,
 * to this bot or another one on the same state. A repeat is acknowledged (200, empty body) so Slack
 * stops, and is not handled. Whether a key was seen is the state database's answer ({@code
 * JobService.firstDelivery}), so it holds across processes.
 */
final class DeliveredOnce implements Middleware {
    private static final Logger log = LoggerFactory.getLogger(DeliveredOnce.class);

    private final Predicate<String> firstDelivery;

    DeliveredOnce(Predicate<String> firstDelivery) {
        this.firstDelivery = firstDelivery;
    }

    @Override
    public Response apply(Request req, Response resp, MiddlewareChain chain) throws Exception {
        @SuppressWarnings("unchecked")
        Optional<String> key = RequestKey.of((Request<?>) req);
        if (key.isEmpty()) return chain.next(req);
        boolean first;
        try {
            first = firstDelivery.test(key.get());
        } catch (RuntimeException e) {
            // handling a request twice is better than losing it while the state database is away
            log.warn("Could not check whether Slack request {} was handled before, handling it: {}", key.get(), e.getMessage());
            return chain.next(req);
        }
        if (first) return chain.next(req);
        String retry = req.getHeaders() == null ? null : req.getHeaders().getFirstValue("X-Slack-Retry-Num");
        String reason = req.getHeaders() == null ? null : req.getHeaders().getFirstValue("X-Slack-Retry-Reason");
        log.info("Slack delivered {} again{}: acknowledged, not handled twice", key.get(),
                retry == null ? "" : " (retry " + retry + (reason == null ? "" : ", " + reason) + ")");
        return Response.ok();
    }
}

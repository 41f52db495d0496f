package org.pgstaging.slack;

import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.middleware.MiddlewareOps;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.response.Response;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Slack's request signature before anything else runs. Bolt's own check accepts timestamps
 * from the future, compares signatures with {@code String.equals} and hashes the body in the platform
 * charset; this one rejects {@code |now - ts| > 300 s}, hashes the UTF-8 bytes Slack signed and compares
 * in constant time. Socket Mode requests carry no signature: the WebSocket itself is authenticated.
 */
public final class StrictRequestVerification implements Middleware {
    static final long MAX_SKEW_SECONDS = 300;
    private static final Logger log = LoggerFactory.getLogger(StrictRequestVerification.class);

    private final SecretKeySpec key;
    private final Clock clock;

    public StrictRequestVerification(String signingSecret, Clock clock) {
        this.key = new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
    }

    @Override
    public Response apply(Request req, Response resp, MiddlewareChain chain) throws Exception {
        if (req.isSocketMode() || MiddlewareOps.isNoSlackSignatureRequest(req.getRequestType())) {
            return chain.next(req);
        }
        String body = req.getRequestBodyAsString() == null ? "" : req.getRequestBodyAsString();
        String reason = check(req.getHeaders().getFirstValue("X-Slack-Request-Timestamp"),
                req.getHeaders().getFirstValue("X-Slack-Signature"), body.getBytes(StandardCharsets.UTF_8));
        if (reason != null) {
            // The signature itself is never logged: it would help nobody and could leak into shared logs.
            log.warn("Rejected a request claiming to come from Slack: {}", reason);
            return Response.json(401, "{\"error\":\"invalid request\"}");
        }
        return chain.next(req);
    }

    /** Null when the request is authentic, else why not. */
    String check(String timestamp, String signature, byte[] body) {
        if (timestamp == null || signature == null) return "missing signature headers";
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return "timestamp is not a number";
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - ts);
        if (skew > MAX_SKEW_SECONDS) return "timestamp is " + skew + " s away from now (replay or clock skew)";
        byte[] expected = ("v0=" + HexFormat.of().formatHex(hmac(timestamp.trim(), body))).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.US_ASCII))) {
            return "signature does not match";
        }
        return null;
    }

    private byte[] hmac(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}

package org.pgstaging.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The HTTP client shared by every {@link HttpBackupSource} (one connection pool per JVM), and the
 * translation of network failures into messages that say which server and what to check.
 */
final class HttpTransport {
    static final long CONNECT_TIMEOUT_SECONDS = 10;
    /** Longest silence tolerated while waiting for or reading a response. */
    static final long SOCKET_TIMEOUT_SECONDS = 60;

    private static final class Holder {
        // compression stays off: Content-Length must count the bytes we store, and dumps are compressed already
        static final CloseableHttpClient CLIENT = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                                .setSocketTimeout((int) SOCKET_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                                .build())
                        .setTlsSocketStrategy(new LazyTls())
                        .setMaxConnPerRoute(8)
                        .setMaxConnTotal(32)
                        .build())
                .disableContentCompression()
                .disableCookieManagement()
                .disableAutomaticRetries()
                .setUserAgent("pgstaging")
                .build();
    }

    /**
     * The default TLS set-up, made on the first https connection: building the SSL context took about
     * 0.1 s of every command that lists backups, most of which are served over plain http.
     */
    private static final class LazyTls implements TlsSocketStrategy {
        private static final class Default {
            static final TlsSocketStrategy TLS = DefaultClientTlsStrategy.createDefault();
        }

        @Override
        public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
                throws IOException {
            return Default.TLS.upgrade(socket, target, port, attachment, context);
        }
    }

    private HttpTransport() { }

    /** Builds the shared client (its classes and pool), e.g. on another thread while the command line is parsed. */
    static void warmUp() {
        Holder.CLIENT.getClass();
    }

    /** Sends a GET and returns the open exchange; the caller closes it. Network failures become BackupException. */
    static Exchange get(URI url) {
        return send(url, new HttpGet(url));
    }

    /** A GET with extra headers, e.g. {@code Range}. */
    static Exchange get(URI url, java.util.Map<String, String> headers) {
        HttpGet request = new HttpGet(url);
        headers.forEach(request::setHeader);
        return send(url, request);
    }

    /** A HEAD: status and headers only. */
    static Exchange head(URI url) {
        return send(url, new org.apache.hc.client5.http.classic.methods.HttpHead(url));
    }

    private static Exchange send(URI url, HttpUriRequestBase request) {
        try {
            return new Exchange(url, request, Holder.CLIENT.executeOpen(null, request, null));
        } catch (IOException e) {
            throw failure(url, e);
        }
    }

    /**
     * A request and its open response. {@link #close()} after reading the body to its end keeps the
     * connection for reuse; {@link #abort()} drops it without reading what is left, which matters
     * when giving up on a dump of many gigabytes.
     */
    record Exchange(URI url, HttpUriRequestBase request, ClassicHttpResponse response) implements AutoCloseable {
        int status() { return response.getCode(); }

        /** A response header's value, or null. */
        String header(String name) {
            org.apache.hc.core5.http.Header h = response.getFirstHeader(name);
            return h == null ? null : h.getValue();
        }

        /** Content-Length, or -1 when the server did not announce it. */
        long contentLength() {
            return response.getEntity() == null ? -1 : response.getEntity().getContentLength();
        }

        InputStream body() {
            try {
                return response.getEntity() == null ? InputStream.nullInputStream() : response.getEntity().getContent();
            } catch (IOException e) {
                throw failure(url, e);
            }
        }

        void abort() {
            request.cancel();
            closeQuietly(response);
        }

        @Override
        public void close() {
            closeQuietly(response);
        }
    }

    static BackupException failure(URI url, IOException e) {
        String where = url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
        String hint = "check that the backup server is up and reachable, and backup_host / backup_base_url";
        if (e instanceof UnknownHostException) {
            return new BackupException("unknown host '" + url.getHost() + "' in " + url, "check backup_host", e);
        }
        if (e instanceof ConnectTimeoutException) {
            return new BackupException("timed out connecting to " + where + " after " + CONNECT_TIMEOUT_SECONDS
                    + " s for " + url, hint, e);
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            String why = String.valueOf(e.getMessage()).contains("refused") ? "connection refused" : e.getMessage();
            return new BackupException("cannot connect to " + where + " (" + why + ") for " + url, hint, e);
        }
        if (e instanceof SocketTimeoutException) {
            return new BackupException("timed out waiting " + SOCKET_TIMEOUT_SECONDS + " s for " + url, hint, e);
        }
        if (e instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
            return new BackupException("request to " + url + " interrupted", null, e);
        }
        return new BackupException("cannot fetch " + url + ": " + e.getMessage(), hint, e);
    }

    /** Closes without letting a second failure hide the first. */
    static void closeQuietly(ClassicHttpResponse r) {
        try {
            r.close();
        } catch (IOException ignored) {
            // the response is being abandoned anyway
        }
    }
}

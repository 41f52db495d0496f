package org.pgstaging.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one fake HTTP server of the test kit, for the one case real servers will not produce on
 * demand: a response whose body is shorter than its Content-Length (a backup server crashing or a
 * proxy cutting the connection mid-dump). Every GET is answered {@code 200} with
 * {@code Content-Length: announced} and only {@code body.length} bytes, then the socket is closed.
 */
public final class HttpTruncatingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final byte[] body;
    private final long announced;
    private final Thread acceptor;
    private final AtomicInteger requests = new AtomicInteger();

    private HttpTruncatingServer(byte[] body, long announced) throws IOException {
        if (announced <= body.length) throw new IllegalArgumentException("announce more than the body to truncate");
        this.socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.body = body.clone();
        this.announced = announced;
        this.acceptor = new Thread(this::serve, "http-truncating-server");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    public static HttpTruncatingServer start(byte[] body, long announced) throws IOException {
        return new HttpTruncatingServer(body, announced);
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }

    public int requests() { return requests.get(); }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                readHeaders(s.getInputStream());
                requests.incrementAndGet();
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                        + announced + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // closed by close(), or the client went away: nothing to answer
            }
        }
    }

    private static void readHeaders(InputStream in) throws IOException {
        int state = 0; // counts the bytes of a trailing CRLFCRLF
        int c;
        while ((c = in.read()) >= 0) {
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) return;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

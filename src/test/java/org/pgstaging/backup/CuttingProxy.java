package org.pgstaging.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * A TCP proxy in front of a real web server that cuts chosen responses short, like a backup
 * server dying or a proxy dropping the connection mid-dump: the n-th request ({@code GET path },
 * counted from 1) for which {@code cut} says yes gets only {@code keepBytes} bytes of its response
 * (headers included) before both connections are closed. Everything else passes untouched.
 */
public final class CuttingProxy implements AutoCloseable {
    private final ServerSocket socket;
    private final InetSocketAddress upstream;
    private final String requestLine;
    private final IntPredicate cut;
    private final long keepBytes;
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();

    public CuttingProxy(int upstreamPort, String path, IntPredicate cut, long keepBytes) throws IOException {
        this.socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.upstream = new InetSocketAddress("127.0.0.1", upstreamPort);
        this.requestLine = "GET " + path + " ";
        this.cut = cut;
        this.keepBytes = keepBytes;
        Thread acceptor = new Thread(this::accept, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code 127.0.0.1:port}, for backup_host. */
    public String hostAndPort() { return "127.0.0.1:" + socket.getLocalPort(); }

    /** Requests for the path seen so far. */
    public int requests() { return seen.get(); }

    /** Responses cut so far. */
    public int cuts() { return cuts.get(); }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket server = new Socket();
                server.connect(upstream, 5000);
                Connection c = new Connection(client, server);
                start(c::clientToServer);
                start(c::serverToClient);
            } catch (IOException e) {
                // closed, or the upstream refused: the client sees its connection drop
            }
        }
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private final class Connection {
        private final Socket client;
        private final Socket server;
        /** Response bytes still allowed through, or -1 for no limit. */
        private volatile long budget = -1;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void clientToServer() {
            StringBuilder line = new StringBuilder();
            try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    for (int i = 0; i < n; i++) {
                        char ch = (char) (buf[i] & 0xff);
                        if (ch == '\n') {
                            if (line.toString().startsWith(requestLine) && cut.test(seen.incrementAndGet())) {
                                budget = keepBytes;
                            }
                            line.setLength(0);
                        } else if (line.length() < 4096) {
                            line.append(ch);
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                closeBoth();
            }
        }

        void serverToClient() {
            try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    long b = budget;
                    if (b >= 0 && n >= b) {
                        out.write(buf, 0, (int) b);
                        out.flush();
                        cuts.incrementAndGet();
                        return;
                    }
                    if (b >= 0) budget = b - n;
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                closeBoth();
            }
        }

        private void closeBoth() {
            try {
                client.close();
            } catch (IOException ignored) {
                // already closed
            }
            try {
                server.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

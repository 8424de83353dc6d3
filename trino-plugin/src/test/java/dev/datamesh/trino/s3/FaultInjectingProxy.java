package dev.datamesh.trino.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

/**
 * A TCP proxy in front of an S3 server that answers the next requests with S3's throttling
 * response (503 SlowDown) on a connection it then closes, and passes every other connection
 * through untouched (signatures stay valid: the bytes are the client's); or, once told to hang,
 * accepts every connection and never answers.
 */
final class FaultInjectingProxy
        implements AutoCloseable
{
    private static final byte[] SLOW_DOWN_BODY = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>""".getBytes(US_ASCII);

    private final URI target;
    private final ServerSocket server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fault-injecting-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();
    private volatile boolean hanging;

    FaultInjectingProxy(URI target)
            throws IOException
    {
        this.target = requireNonNull(target, "target is null");
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        executor.execute(this::acceptConnections);
    }

    URI endpoint()
    {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /**
     * Answers the next requests, each on a new connection, with 503 SlowDown.
     */
    void failNextRequests(int count)
    {
        failures.set(count);
    }

    /**
     * From now on, accepts connections and reads their requests but never answers, as an
     * endpoint does whose load balancer is up and whose servers are gone: only the client's
     * timeouts end its requests.
     */
    void hang()
    {
        hanging = true;
    }

    int injectedFailures()
    {
        return injected.get();
    }

    private void acceptConnections()
    {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                executor.execute(() -> serve(client));
            }
            catch (IOException _) {
                // closed
            }
        }
    }

    private void serve(Socket client)
    {
        try (client) {
            if (hanging) {
                client.getInputStream().transferTo(OutputStream.nullOutputStream());
                return;
            }
            if (failures.getAndUpdate(count -> Math.max(0, count - 1)) > 0) {
                readRequestHead(client.getInputStream());
                OutputStream output = client.getOutputStream();
                output.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: %s\r\nConnection: close\r\n\r\n".formatted(SLOW_DOWN_BODY.length)).getBytes(US_ASCII));
                output.write(SLOW_DOWN_BODY);
                output.flush();
                injected.incrementAndGet();
                return;
            }
            try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
                executor.execute(() -> pipe(upstream, client));
                pipe(client, upstream);
            }
        }
        catch (IOException _) {
            // a side closed the connection
        }
    }

    private static void readRequestHead(InputStream input)
            throws IOException
    {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(US_ASCII);
        while (matched < end.length) {
            int next = input.read();
            if (next < 0) {
                return;
            }
            head.write(next);
            matched = next == end[matched] ? matched + 1 : (next == end[0] ? 1 : 0);
        }
    }

    private static void pipe(Socket from, Socket to)
    {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        }
        catch (IOException _) {
            // a side closed the connection
        }
    }

    @Override
    public void close()
    {
        try {
            server.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor.shutdownNow();
    }
}

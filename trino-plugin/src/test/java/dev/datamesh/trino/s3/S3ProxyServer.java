package dev.datamesh.trino.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static com.google.common.base.Preconditions.checkState;
import static dev.datamesh.registry.testing.TestFiles.temporaryDirectory;
import static java.util.Objects.requireNonNull;

/**
 * A real S3-compatible server on loopback: s3proxy over a local folder, in a process of its own,
 * accepting one access key. The jar is the one Maven copies to target/s3proxy (system property
 * s3proxy.jar).
 */
public final class S3ProxyServer
        implements AutoCloseable
{
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String accessKey;
    private final String secretKey;
    private final int port;
    private final Path directory;
    private Process process;

    private S3ProxyServer(String accessKey, String secretKey, int port, Path directory)
    {
        this.accessKey = requireNonNull(accessKey, "accessKey is null");
        this.secretKey = requireNonNull(secretKey, "secretKey is null");
        this.port = port;
        this.directory = requireNonNull(directory, "directory is null");
    }

    public static S3ProxyServer start(String accessKey, String secretKey)
            throws IOException, InterruptedException
    {
        S3ProxyServer server = new S3ProxyServer(accessKey, secretKey, freePort(), temporaryDirectory("s3proxy"));
        server.startProcess();
        return server;
    }

    private void startProcess()
            throws IOException, InterruptedException
    {
        String jar = System.getProperty("s3proxy.jar");
        checkState(jar != null && Files.isRegularFile(Path.of(jar)), "s3proxy jar not found (system property s3proxy.jar = %s); run the tests through Maven", jar);
        Path properties = directory.resolve("s3proxy.properties");
        Files.createDirectories(directory.resolve("buckets"));
        Files.writeString(properties, """
                s3proxy.endpoint=%s
                s3proxy.authorization=aws-v2-or-v4
                s3proxy.identity=%s
                s3proxy.credential=%s
                s3proxy.ignore-unknown-headers=true
                jclouds.provider=filesystem-nio2
                jclouds.filesystem.basedir=%s
                """.formatted(endpoint(), accessKey, secretKey, directory.resolve("buckets")));
        Path log = directory.resolve("s3proxy.log");
        process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar", jar,
                "--properties", properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("s3proxy did not start; its log:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    public URI endpoint()
    {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String accessKey()
    {
        return accessKey;
    }

    public String secretKey()
    {
        return secretKey;
    }

    /**
     * Stops the server; the data stays, so {@link #restart()} serves it again on the same port.
     */
    public void stop()
            throws InterruptedException
    {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    public void restart()
            throws IOException, InterruptedException
    {
        stop();
        startProcess();
    }

    @Override
    public void close()
            throws InterruptedException
    {
        stop();
    }

    private boolean accepts()
    {
        try (Socket _ = new Socket("127.0.0.1", port)) {
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.datamesh.iceberg.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.iceberg.IcebergCatalogs;
import dev.datamesh.iceberg.IcebergTableException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.rest.RESTCatalogAdapter;
import org.apache.iceberg.rest.RESTCatalogServlet;
import org.apache.iceberg.rest.RESTUtil;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * A real Iceberg REST catalog over HTTP on 127.0.0.1: Iceberg's reference servlet
 * ({@link RESTCatalogServlet} over a {@link RESTCatalogAdapter}) in Jetty, backed by a JDBC catalog
 * in a SQLite file that {@link IcebergCatalogs} opens, with its warehouse in a temporary folder.
 * Tests create and write tables through {@link #backingCatalog()} and read them over HTTP.
 * <p>
 * With an {@link Authentication} that requires it, every request needs {@code Authorization: Bearer
 * <token>} (else 401), where the token is the configured one or one the server issued at
 * {@code /v1/oauth/tokens} for the configured client credential (OAuth2 client_credentials).
 * {@link #stop()} takes the endpoint down and {@link #start()} brings it back on the same port.
 */
public final class TestingIcebergRestCatalogServer
        implements AutoCloseable
{
    public static final String BACKING_CATALOG_NAME = "rest_backing";

    private static final String TOKENS_PATH = "/v1/oauth/tokens";
    // what RESTCatalogAdapter issues for grant_type=client_credentials
    private static final String CLIENT_CREDENTIALS_TOKEN_PREFIX = "client-credentials-token:sub=";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the server demands: a bearer token, a client credential (client_id:secret) to exchange
     * for a token, either, or nothing.
     */
    public record Authentication(Optional<String> token, Optional<String> credential)
    {
        public static final Authentication NONE = new Authentication(Optional.empty(), Optional.empty());

        public Authentication
        {
            requireNonNull(token, "token is null");
            requireNonNull(credential, "credential is null");
            credential.ifPresent(value -> {
                if (value.indexOf(':') <= 0) {
                    throw new IllegalArgumentException("a client credential is client_id:secret");
                }
            });
        }

        public static Authentication bearerToken(String token)
        {
            return new Authentication(Optional.of(token), Optional.empty());
        }

        public static Authentication clientCredential(String clientId, String secret)
        {
            return new Authentication(Optional.empty(), Optional.of(clientId + ":" + secret));
        }

        public static Authentication bearerTokenOrClientCredential(String token, String clientId, String secret)
        {
            return new Authentication(Optional.of(token), Optional.of(clientId + ":" + secret));
        }

        public boolean required()
        {
            return token.isPresent() || credential.isPresent();
        }

        private boolean acceptsClient(String clientId, String secret)
        {
            return credential.isPresent() && credential.orElseThrow().equals(clientId + ":" + secret);
        }

        private Optional<String> clientId()
        {
            return credential.map(value -> value.substring(0, value.indexOf(':')));
        }
    }

    private final Path directory;
    private final IcebergCatalogs catalogs;
    private final Catalog backingCatalog;
    private final RESTCatalogAdapter adapter;
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<String> meshHeaders = ConcurrentHashMap.newKeySet();
    private volatile Authentication authentication;
    private Server server;
    private int port;

    /**
     * A server that demands no authentication.
     */
    public TestingIcebergRestCatalogServer()
            throws IOException
    {
        this(Authentication.NONE);
    }

    public TestingIcebergRestCatalogServer(Authentication authentication)
            throws IOException
    {
        this.authentication = requireNonNull(authentication, "authentication is null");
        this.directory = Files.createTempDirectory("iceberg-rest-catalog");
        this.catalogs = IcebergTestTables.writingCatalogs();
        try {
            this.backingCatalog = catalogs.catalog(IcebergTestTables.jdbcCatalog(BACKING_CATALOG_NAME, directory.resolve("catalog.db"), directory.resolve("warehouse")));
        }
        catch (IcebergTableException e) {
            catalogs.close();
            throw new IllegalStateException(e.getMessage(), e);
        }
        this.adapter = new RESTCatalogAdapter(backingCatalog);
        try {
            start();
        }
        catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The catalog behind the endpoint, to create and write tables with.
     */
    public Catalog backingCatalog()
    {
        return backingCatalog;
    }

    /**
     * The folder new tables go to.
     */
    public Path warehouse()
    {
        return directory.resolve("warehouse");
    }

    /**
     * The endpoint, http://127.0.0.1:port; the same after a restart.
     */
    public synchronized URI uri()
    {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Changes what the next requests must carry.
     */
    public void setAuthentication(Authentication authentication)
    {
        this.authentication = requireNonNull(authentication, "authentication is null");
    }

    /**
     * Serves the catalog, on the port it had before when it was stopped.
     */
    public synchronized void start()
    {
        if (server != null) {
            return;
        }
        Server newServer = new Server();
        ServerConnector connector = new ServerConnector(newServer);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        newServer.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(new AuthenticationFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new RESTCatalogServlet(adapter)), "/*");
        newServer.setHandler(context);
        try {
            newServer.start();
        }
        catch (Exception e) {
            stopQuietly(newServer);
            throw new IllegalStateException("cannot start the Iceberg REST catalog on 127.0.0.1:" + port, e);
        }
        port = connector.getLocalPort();
        server = newServer;
    }

    /**
     * Takes the endpoint down: connections are refused until {@link #start()}.
     */
    public synchronized void stop()
    {
        if (server != null) {
            Server stopped = server;
            server = null;
            try {
                stopped.stop();
            }
            catch (Exception e) {
                throw new IllegalStateException("cannot stop the Iceberg REST catalog on 127.0.0.1:" + port, e);
            }
        }
    }

    /**
     * How many requests reached the server since it was made.
     */
    public int requestCount()
    {
        return requests.get();
    }

    /**
     * The X-Mesh-* headers requests carried, as "name: value": what a catalog's header.* properties send.
     */
    public Set<String> meshHeaders()
    {
        return ImmutableSet.copyOf(meshHeaders);
    }

    public synchronized boolean isRunning()
    {
        return server != null;
    }

    @Override
    public synchronized void close()
            throws IOException
    {
        try {
            stop();
        }
        finally {
            catalogs.close();
            deleteRecursively(directory, ALLOW_INSECURE);
        }
    }

    private static void stopQuietly(Server server)
    {
        try {
            server.stop();
        }
        catch (Exception _) {
            // the server never served
        }
    }

    private final class AuthenticationFilter
            extends HttpFilter
    {
        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException
        {
            requests.incrementAndGet();
            for (String name : Collections.list(request.getHeaderNames())) {
                if (name.regionMatches(true, 0, "X-Mesh-", 0, "X-Mesh-".length())) {
                    meshHeaders.add(name + ": " + request.getHeader(name));
                }
            }
            Authentication current = authentication;
            if (!current.required()) {
                chain.doFilter(request, response);
                return;
            }
            if (request.getRequestURI().equals(TOKENS_PATH)) {
                byte[] body = request.getInputStream().readAllBytes();
                Map<String, String> form = RESTUtil.decodeFormData(new String(body, UTF_8));
                String clientId = form.get("client_id");
                if (!"client_credentials".equals(form.get("grant_type")) || !current.acceptsClient(clientId, form.get("client_secret"))) {
                    // an OAuth2 error response (RFC 6749 5.2), as Iceberg's client parses it
                    respond(response, ImmutableMap.of("error", "invalid_client", "error_description", "unknown client or wrong client secret"));
                    return;
                }
                issuedTokens.add(CLIENT_CREDENTIALS_TOKEN_PREFIX + clientId);
                chain.doFilter(new RequestWithBody(request, body), response);
                return;
            }
            String authorization = request.getHeader("Authorization");
            if (authorization == null || !authorization.startsWith("Bearer ") || !accepts(current, authorization.substring("Bearer ".length()))) {
                // an Iceberg REST error response; it never repeats what the client sent
                respond(response, ImmutableMap.of("error", ImmutableMap.of(
                        "message", authorization == null ? "Authorization: Bearer <token> is required" : "the bearer token is not valid",
                        "type", "NotAuthorizedException",
                        "code", HttpServletResponse.SC_UNAUTHORIZED)));
                return;
            }
            chain.doFilter(request, response);
        }

        private boolean accepts(Authentication current, String token)
        {
            if (current.token().isPresent() && current.token().orElseThrow().equals(token)) {
                return true;
            }
            return current.clientId().isPresent()
                    && token.equals(CLIENT_CREDENTIALS_TOKEN_PREFIX + current.clientId().orElseThrow())
                    && issuedTokens.contains(token);
        }

        private static void respond(HttpServletResponse response, Map<String, ?> body)
                throws IOException
        {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentType("application/json");
            response.setCharacterEncoding(UTF_8.name());
            JSON.writeValue(response.getOutputStream(), body);
        }
    }

    /**
     * The request with its body again, after the filter read it.
     */
    private static final class RequestWithBody
            extends HttpServletRequestWrapper
    {
        private final byte[] body;

        private RequestWithBody(HttpServletRequest request, byte[] body)
        {
            super(request);
            this.body = body.clone();
        }

        @Override
        public ServletInputStream getInputStream()
        {
            ByteArrayInputStream input = new ByteArrayInputStream(body);
            return new ServletInputStream()
            {
                @Override
                public boolean isFinished()
                {
                    return input.available() == 0;
                }

                @Override
                public boolean isReady()
                {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener)
                {
                    throw new UnsupportedOperationException("the body is read synchronously");
                }

                @Override
                public int read()
                {
                    return input.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length)
                {
                    return input.read(buffer, offset, length);
                }
            };
        }

        @Override
        public BufferedReader getReader()
        {
            return new BufferedReader(new InputStreamReader(getInputStream(), UTF_8));
        }

        @Override
        public int getContentLength()
        {
            return body.length;
        }

        @Override
        public long getContentLengthLong()
        {
            return body.length;
        }
    }
}
